/**
 * The contract every ReplayGuard meets, as a suite any implementation runs (the in-memory one here,
 * the store-backed one in store/): `replayGuardContract('sqlite', async () => ({ guard, clock }))`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ManualClock } from '../../core/clock.js';
import type { ReplayGuard } from './replay-guard.js';

export function replayGuardContract(
  name: string,
  make: () => Promise<{ guard: ReplayGuard; clock: ManualClock; close?: () => Promise<void> }>,
): void {
  describe(`ReplayGuard contract: ${name}`, () => {
    test('the first sighting of an id is new, every later one is seen', async () => {
      const { guard, clock, close } = await make();
      const exp = clock.now() + 60_000;
      assert.equal(await guard.seen('AAAAAAAAAAAAAAAAAAAAAA', exp), false);
      assert.equal(await guard.seen('AAAAAAAAAAAAAAAAAAAAAA', exp), true);
      assert.equal(await guard.seen('AAAAAAAAAAAAAAAAAAAAAA', exp), true);
      assert.equal(await guard.seen('BBBBBBBBBBBBBBBBBBBBBB', exp), false);
      await close?.();
    });

    test('of concurrent sightings of one id, exactly one is new', async () => {
      const { guard, clock, close } = await make();
      const exp = clock.now() + 60_000;
      const r = await Promise.all(
        Array.from({ length: 20 }, () => guard.seen('CCCCCCCCCCCCCCCCCCCCCC', exp)),
      );
      assert.equal(r.filter((x) => x === false).length, 1);
      await close?.();
    });

    test('an id is remembered at least until it expires', async () => {
      const { guard, clock, close } = await make();
      const exp = clock.now() + 60_000;
      await guard.seen('DDDDDDDDDDDDDDDDDDDDDD', exp);
      clock.advance(59_000);
      assert.equal(await guard.seen('DDDDDDDDDDDDDDDDDDDDDD', exp), true);
      await close?.();
    });
  });
}
