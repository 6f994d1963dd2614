import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  entryBytes,
  entryJson,
  entryJsonReference,
  entryLeafHash,
  type LedgerEntry,
  normaliseInput,
  parseEntry,
} from './entry.js';
import { leafHash, toHex } from './hash.js';

export const EXAMPLE: LedgerEntry = {
  index: 0,
  envelopeHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  direction: 'in',
  peerNodeId: 'node-b',
  agreementId: 'agreement-1',
  kind: 'message',
  time: '2026-01-01T00:00:00.000Z',
};

describe('ledger entries', () => {
  it('serialise to the documented canonical JSON (docs/LEDGER.md example)', () => {
    assert.equal(
      entryJson(EXAMPLE),
      '{"agreementId":"agreement-1","direction":"in","envelopeHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","index":0,"kind":"message","peerNodeId":"node-b","time":"2026-01-01T00:00:00.000Z","v":1}',
    );
    assert.equal(toHex(entryLeafHash(EXAMPLE)), toHex(leafHash(entryBytes(EXAMPLE))));
  });

  it('hand-written canonical form equals the canonicalize package (RFC 8785) for any content', () => {
    fc.assert(
      fc.property(
        fc.record({
          index: fc.maxSafeNat(),
          envelopeHash: fc.stringMatching(/^[0-9a-f]{64}$/),
          direction: fc.constantFrom('in' as const, 'out' as const),
          peerNodeId: fc.string({ unit: 'binary', minLength: 1 }),
          agreementId: fc.option(fc.string({ unit: 'binary', minLength: 1 }), { nil: null }),
          kind: fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
          time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        }),
        (e) => {
          assert.equal(entryJson(e), entryJsonReference(e));
          assert.equal(toHex(entryLeafHash(e)), toHex(leafHash(Buffer.from(entryJsonReference(e), 'utf8'))));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('normalises input and names the bad field', () => {
    const ok = normaliseInput({ ...EXAMPLE, time: Date.parse(EXAMPLE.time) }, 0);
    assert.equal(ok.time, EXAMPLE.time);
    assert.equal(
      normaliseInput({ ...EXAMPLE, time: undefined }, Date.parse('2026-02-02T00:00:00Z')).time,
      '2026-02-02T00:00:00.000Z',
    );
    assert.throws(() => normaliseInput({ ...EXAMPLE, envelopeHash: 'E3' }, 0), {
      code: 'ledger.invalid_entry',
      details: { field: 'envelopeHash' },
    });
    assert.throws(() => normaliseInput({ ...EXAMPLE, agreementId: '' }, 0), {
      details: { field: 'agreementId' },
    });
  });

  it('parses only well-formed entries from outside', () => {
    assert.deepEqual(parseEntry(JSON.parse(JSON.stringify(EXAMPLE))), EXAMPLE);
    assert.equal(parseEntry({ ...EXAMPLE, index: -1 }), undefined);
    assert.equal(parseEntry({ ...EXAMPLE, time: '2026-01-01' }), undefined);
    assert.equal(parseEntry(null), undefined);
  });
});
