/**
 * Differential test: the OASIS STIX 2.1 JSON schemas are the oracle. Both validators judge every
 * OASIS example, every ATT&CK for ICS 18.1 object and a few thousand deterministic mutations of
 * them; their verdicts must agree, but for the short, explained allow-list below. parley runs in
 * `schemaOnly` mode here: the rules beyond the schemas have their own tests (rules.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familyOf } from './schemas.js';
import { attack, oasisExamples, validatorBaseObjects } from './test-data.js';
import { type Mutation, mutate, prng } from './test-mutate.js';
import { loadOracle } from './test-oracle.js';
import { specSeeds } from './test-seeds.js';
import { createStixValidator, type ValidationResult } from './validate.js';

type Json = Record<string, unknown>;

/**
 * Where parley knowingly differs from the OASIS schemas. Each entry says which verdict it expects
 * from each side. Keep it short: a new disagreement is a bug until explained here.
 */
function allowed(m: Mutation, ours: ValidationResult, theirs: boolean): string | undefined {
  if (ours.ok || !theirs) return undefined;
  const rules = new Set(ours.errors.map((e) => e.rule));
  // The OASIS schemas do not list `description`, so any JSON value passes there; STIX 2.1 says it
  // is a string (sections 4.x), and parley's typed model says so too.
  if (m.property === 'description') return 'description is a string';
  // The OASIS schemas check "id starts with type--" only per known type (`^indicator--`...);
  // section 2.9 says it of every object, custom ones included.
  if (familyOf(String(m.object.type)) === 'custom' && rules.size === 1 && rules.has('stix.id_prefix')) {
    return 'id prefix of a custom object';
  }
  return undefined;
}

describe('differential: parley vs the OASIS JSON schemas', () => {
  const oracle = loadOracle();
  const v = createStixValidator();
  const ours = (o: Json) => v.validate(o, { schemaOnly: true });

  const seeds: Json[] = [
    ...oasisExamples().map((e) => e.object),
    ...attack('ics-attack-18.1.json'),
    ...Object.entries(validatorBaseObjects())
      .filter(([name, o]) => o.type !== 'bundle' && !name.includes('INVALID'))
      .map(([, o]) => o),
    ...specSeeds(),
  ];
  // Mutations draw half their seeds from the rarer types, so that every schema gets exercised.
  const rare = specSeeds();

  it('agrees on every unmutated object, all of them valid', () => {
    const diffs: string[] = [];
    for (const o of seeds) {
      const a = ours(o).ok;
      const b = oracle.check(o).ok;
      if (a !== true || b !== true) diffs.push(`${String(o.id)}: parley ${a}, OASIS ${b}`);
    }
    assert.deepEqual(diffs, []);
  });

  it('agrees on 3,000 mutations (seeded, deterministic)', (t) => {
    const r = prng(20251126);
    const diffs: string[] = [];
    const kinds = new Map<string, { n: number; rejected: number }>();
    let allowedCount = 0;
    for (let i = 0; i < 3000; i++) {
      const pool = r() < 0.5 ? rare : seeds;
      const seed = pool[Math.floor(r() * pool.length)] as Json;
      const m = mutate(seed, r);
      const a = ours(m.object);
      const b = oracle.check(m.object).ok;
      const k = kinds.get(m.kind) ?? { n: 0, rejected: 0 };
      k.n++;
      if (!b) k.rejected++;
      kinds.set(m.kind, k);
      if (a.ok === b) continue;
      if (allowed(m, a, b)) {
        allowedCount++;
        continue;
      }
      if (diffs.length < 20) {
        const why = a.ok ? '' : a.errors.map((e) => `${e.rule}@${e.path}`).join(',');
        diffs.push(
          `#${i} ${m.kind} ${m.property ?? ''} on ${String(seed.type)}: parley ${a.ok} ${why}, OASIS ${b}`,
        );
      }
    }
    t.diagnostic(`allowed disagreements: ${allowedCount}`);
    t.diagnostic(
      `by kind (cases/OASIS-invalid): ${[...kinds].map(([k, x]) => `${k} ${x.n}/${x.rejected}`).join(', ')}`,
    );
    assert.deepEqual(diffs, []);
    // The mutations do bite: most kinds produce invalid objects for the oracle too.
    const rejected = [...kinds.values()].reduce((s, k) => s + k.rejected, 0);
    assert.ok(rejected > 1500, `only ${rejected} mutations were invalid`);
    assert.ok(allowedCount < 100, `${allowedCount} allowed disagreements`);
  });
});
