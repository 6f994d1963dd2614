import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StixElement } from '../core/json-stream/index.js';
import { defaultValidator } from '../stix/index.js';
import { Preparer } from './prepare.js';

const M1 = 'marking-definition--11111111-1111-4111-8111-111111111111';
const M2 = 'marking-definition--22222222-2222-4222-8222-222222222222';
const T = '2024-01-01T00:00:00.000Z';

function el(index: number, value: Record<string, unknown>): StixElement {
  return { index, offset: 0, value, raw: JSON.stringify(value) };
}

const marking = (id: string) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id,
  created: T,
  definition_type: 'statement',
  definition: { statement: 'x' },
});

test('a tentative object is rejected at the end for exactly the markings that never came', () => {
  const p = new Preparer(defaultValidator(), new Set());
  const id = 'identity--33333333-3333-4333-8333-333333333333';
  // Two references, both unknown when checked: M1 comes later in the input, M2 never does.
  p.accept(
    el(0, {
      type: 'identity',
      spec_version: '2.1',
      id,
      created: T,
      modified: T,
      name: 'a',
      object_marking_refs: [M1, M2],
    }),
    undefined,
  );
  p.accept(el(1, marking(M1)), undefined);
  // Handed over (written) before the end of the input: a rejection now must be retracted.
  const written = p.rows.splice(0);
  assert.equal(written.length, 2);
  assert.equal(written[0]?.tentative, true);
  p.finish();
  assert.deepEqual(p.retracted, [{ index: 0, id, version: T }]);
  assert.equal(p.rejections.length, 1);
  const r = p.rejections[0];
  assert.equal(r?.code, 'stix.marking_unresolved');
  assert.equal(r?.path, '/object_marking_refs/1');
  assert.match(r?.message ?? '', new RegExp(`${M2} is unknown$`));
});

test('a tentative object whose markings all came later stays', () => {
  const p = new Preparer(defaultValidator(), new Set());
  p.accept(
    el(0, {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--44444444-4444-4444-8444-444444444444',
      created: T,
      modified: T,
      name: 'b',
      object_marking_refs: [M1, M2],
    }),
    undefined,
  );
  p.accept(el(1, marking(M2)), undefined);
  p.accept(el(2, marking(M1)), undefined);
  p.finish();
  assert.deepEqual(p.retracted, []);
  assert.deepEqual(p.rejections, []);
  assert.equal(p.rows.length, 3);
});
