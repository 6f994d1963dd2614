import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { replayGuardContract } from './replay-guard.contract.js';
import { MemoryReplayGuard } from './replay-guard.js';

replayGuardContract('memory', async () => {
  const clock = new ManualClock();
  return { guard: new MemoryReplayGuard(clock), clock };
});

test('MemoryReplayGuard forgets ids once they are well past expiry', async () => {
  const clock = new ManualClock();
  const guard = new MemoryReplayGuard(clock, 1000);
  await guard.seen('a', clock.now() + 10_000);
  clock.advance(120_000);
  await guard.seen('b', clock.now() + 10_000);
  assert.equal(guard.size, 1);
  assert.equal(await guard.seen('b', clock.now() + 10_000), true);
});
