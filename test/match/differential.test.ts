/**
 * Index lookups equal a brute-force evaluation of every pattern in force (see differential.ts).
 * Timed tests must stay small on 2 cores: here 10,000 indicators (some re-versioned, revoked,
 * expired or not yet valid) and 1,000 lookups; `npx tsx bench/match.ts --differential` runs
 * 100,000 x 10,000.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDifferential } from './differential.js';
import { NOW } from './fixtures.js';

test('lookups of 1,000 random observables against 10,000 random indicators equal the brute force', () => {
  const r = runDifferential(10_000, 1_000, NOW, 7);
  assert.deepEqual(r.mismatches.slice(0, 5), []);
  // The data is not vacuous: many lookups match, some several indicators.
  assert.ok(r.withMatches > 200, `only ${r.withMatches} lookups matched`);
  assert.ok(r.totalMatches > r.withMatches);
});
