import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultValidator } from '../stix/index.js';
import { WARM_UP_OBJECTS, warmUpPipeline } from './warm-up.js';

test('the warm-up input is read and accepted whole, whatever the slice size', async () => {
  // A rejection would mean the warm-up no longer exercises the path real inputs take.
  for (const slice of [128 * 1024, 4096, 977]) {
    assert.deepEqual(await warmUpPipeline(defaultValidator(), slice, 1), {
      read: WARM_UP_OBJECTS + 1,
      rejected: 0,
    });
  }
});
