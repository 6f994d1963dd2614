/**
 * Matching above the brackets (STIX 2.1 sections 9.5 and 9.7): AND, OR and FOLLOWEDBY between
 * observation expressions, the WITHIN, REPEATS and START/STOP qualifiers, and the bindings returned.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import { isParleyError } from '../../core/errors.js';
import type { Observation, Sco } from './evaluator/observations.js';
import { matchPattern, PreparedObservations } from './match.js';
import { parsePattern } from './parser.js';

const at = (minute: number, second = 0) =>
  `2024-05-01T12:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;
const obs = (minute: number, objects: Sco[], extra: Partial<Observation> = {}): Observation => ({
  first_observed: at(minute),
  last_observed: at(minute),
  objects,
  ...extra,
});
const ip = (value: string): Sco => ({ type: 'ipv4-addr', value });
const dom = (value: string): Sco => ({ type: 'domain-name', value });

// 0: 1.1.1.1 at :00, 1: x.com at :01, 2: 1.1.1.1 at :05, 3: y.com at :10
const stream: Observation[] = [
  obs(0, [ip('1.1.1.1')]),
  obs(1, [dom('x.com')]),
  obs(5, [ip('1.1.1.1')]),
  obs(10, [dom('y.com')]),
];
const A = "[ipv4-addr:value = '1.1.1.1']";
const X = "[domain-name:value = 'x.com']";
const Y = "[domain-name:value = 'y.com']";
const first = (p: string, o = stream) => matchPattern(p, o).bindings[0] ?? null;

describe('pattern matching: observation operators', () => {
  it('returns the binding: which observations matched', () => {
    assert.deepEqual(matchPattern(A, stream, { maxBindings: 10 }), { matched: true, bindings: [[0], [2]] });
    assert.deepEqual(matchPattern("[ipv4-addr:value = '9.9.9.9']", stream), { matched: false, bindings: [] });
    assert.deepEqual(matchPattern(parsePattern(X), stream), { matched: true, bindings: [[1]] });
  });

  it('AND needs every operand, each from a different observation', () => {
    assert.deepEqual(first(`${A} AND ${X}`), [0, 1]);
    assert.deepEqual(first(`${A} AND ${A}`), [0, 2]);
    assert.equal(first(`${A} AND ${A} AND ${A}`), null);
    assert.equal(first(`${X} AND ${X}`), null);
  });

  it('OR needs one operand', () => {
    assert.deepEqual(first(`[ipv4-addr:value = '9.9.9.9'] OR ${Y}`), [3]);
    assert.equal(first("[ipv4-addr:value = '9.9.9.9'] OR [domain-name:value = 'z.com']"), null);
  });

  it('FOLLOWEDBY needs the left side no later than the right side', () => {
    assert.deepEqual(first(`${X} FOLLOWEDBY ${Y}`), [1, 3]);
    assert.equal(first(`${Y} FOLLOWEDBY ${X}`), null);
    assert.deepEqual(first(`${X} FOLLOWEDBY ${A}`), [1, 2]);
    assert.deepEqual(first(`${A} FOLLOWEDBY ${X} FOLLOWEDBY ${A} FOLLOWEDBY ${Y}`), [0, 1, 2, 3]);
    assert.equal(first(`${A} FOLLOWEDBY ${A} FOLLOWEDBY ${X}`), null);
    // Intervals that overlap leave room for either order.
    const overlapping = [
      { first_observed: at(0), last_observed: at(10), objects: [dom('y.com')] },
      { first_observed: at(5), last_observed: at(6), objects: [dom('x.com')] },
    ];
    assert.deepEqual(first(`${Y} FOLLOWEDBY ${X}`, overlapping), [0, 1]);
    assert.deepEqual(first(`${X} FOLLOWEDBY ${Y}`, overlapping), [0, 1]);
  });
});

describe('pattern matching: qualifiers', () => {
  it('WITHIN n SECONDS keeps bindings whose observations fit in n seconds', () => {
    assert.deepEqual(first(`(${A} AND ${X}) WITHIN 60 SECONDS`), [0, 1]);
    assert.equal(first(`(${A} AND ${Y}) WITHIN 299 SECONDS`), null);
    assert.deepEqual(first(`(${A} AND ${Y}) WITHIN 300 SECONDS`), [2, 3]);
    assert.deepEqual(first(`(${A} AND ${Y}) WITHIN 299.5 SECONDS OR ${X}`), [1]);
  });

  it('REPEATS n TIMES needs n matches from distinct observations', () => {
    assert.deepEqual(first(`${A} REPEATS 2 TIMES`), [0, 2]);
    assert.equal(first(`${A} REPEATS 3 TIMES`), null);
    assert.deepEqual(first(`(${X} OR ${Y}) REPEATS 2 TIMES`), [1, 3]);
    assert.equal(first(`${A} REPEATS 0 TIMES`), null);
  });

  it('an observed-data seen n times stands for n observations', () => {
    const seen3 = [obs(0, [ip('1.1.1.1')], { number_observed: 3 })];
    assert.deepEqual(first(`${A} REPEATS 3 TIMES`, seen3), [0]);
    assert.equal(first(`${A} REPEATS 4 TIMES`, seen3), null);
    assert.deepEqual(first(`${A} AND ${A}`, seen3), [0]);
  });

  it('START ... STOP keeps observations that meet [start, stop)', () => {
    assert.deepEqual(first(`${A} START t'2024-05-01T12:04:00Z' STOP t'2024-05-01T12:06:00Z'`), [2]);
    assert.equal(first(`${A} START t'2024-05-01T12:01:00Z' STOP t'2024-05-01T12:05:00Z'`), null);
    assert.deepEqual(first(`${A} START t'2024-05-01T12:05:00Z' STOP t'2024-05-01T12:05:00.001Z'`), [2]);
    assert.equal(first(`${A} START t'2024-05-01T12:06:00Z' STOP t'2024-05-01T12:04:00Z'`), null);
  });

  it('FOLLOWEDBY with WITHIN and REPEATS', () => {
    // The spec example shape: two events in order within five minutes.
    assert.deepEqual(first(`(${A} FOLLOWEDBY ${X}) WITHIN 300 SECONDS`), [0, 1]);
    assert.equal(first(`(${X} FOLLOWEDBY ${A}) WITHIN 200 SECONDS`), null);
    assert.deepEqual(first(`(${X} FOLLOWEDBY ${A}) WITHIN 240 SECONDS`), [1, 2]);
    // A repeated event, then another one.
    assert.deepEqual(first(`${A} REPEATS 2 TIMES FOLLOWEDBY ${Y}`), [0, 2, 3]);
    assert.equal(first(`${A} REPEATS 2 TIMES FOLLOWEDBY ${X}`), null);
    // WITHIN on the right operand only (qualifiers bind to one observation expression).
    assert.deepEqual(first(`${X} FOLLOWEDBY ${A} REPEATS 2 TIMES WITHIN 600 SECONDS`), null);
    assert.deepEqual(first(`${X} FOLLOWEDBY ${Y} WITHIN 1 SECONDS`), [1, 3]);
    // The spec example "[...] REPEATS 5 TIMES WITHIN 1800 SECONDS".
    const burst = [0, 5, 10, 15, 20, 40].map((m) => obs(m, [ip('1.1.1.1')]));
    assert.deepEqual(first(`${A} REPEATS 5 TIMES WITHIN 1800 SECONDS`, burst), [0, 1, 2, 3, 4]);
    assert.equal(first(`${A} REPEATS 6 TIMES WITHIN 1800 SECONDS`, burst), null);
  });

  it('matches against observations prepared once', () => {
    const prepared = new PreparedObservations(stream);
    assert.deepEqual(matchPattern(`${X} FOLLOWEDBY ${Y}`, prepared).bindings, [[1, 3]]);
    assert.deepEqual(matchPattern(A, prepared, { maxBindings: 2 }).bindings, [[0], [2]]);
  });

  it('returns several bindings on request, each once', () => {
    const r = matchPattern(`${A} OR ${X}`, stream, { maxBindings: 5 });
    assert.deepEqual(r.bindings, [[0], [2], [1]]);
  });
});

describe('pattern matching: limits and input errors', () => {
  it('stops with pattern.too_complex past the step budget', () => {
    const many = Array.from({ length: 40 }, (_, i) => obs(i, [ip('1.1.1.1')]));
    assert.throws(
      () => matchPattern(`${A} REPEATS 10 TIMES WITHIN 1 SECONDS`, many, { maxSteps: 10_000 }),
      (e) => isParleyError(e) && e.code === 'pattern.too_complex',
    );
  });

  it('refuses absurd repeat counts instead of exhausting the stack', () => {
    const seen = [obs(0, [ip('1.1.1.1')], { number_observed: 1_000_000 })];
    assert.equal(first(`${A} REPEATS 2000000 TIMES`, seen), null);
    assert.throws(
      () => matchPattern(`${A} REPEATS 20000 TIMES`, seen),
      (e) => isParleyError(e) && e.code === 'pattern.too_complex',
    );
    assert.deepEqual(first(`${A} REPEATS 10000 TIMES`, seen), [0]);
  });

  it('handles long chains of observation expressions without deep recursion', () => {
    const seen = [obs(0, [ip('1.1.1.1')], { number_observed: 5000 })];
    const chain = (op: string) => Array.from({ length: 5000 }, () => A).join(` ${op} `);
    assert.deepEqual(matchPattern(chain('AND'), seen).bindings, [[0]]);
    assert.deepEqual(matchPattern(chain('FOLLOWEDBY'), seen).bindings, [[0]]);
    assert.equal(matchPattern(chain('OR'), seen).matched, true);
  });

  it('rejects observations with bad times, counts or objects', () => {
    assert.throws(
      () =>
        matchPattern(A, [
          { first_observed: at(0), last_observed: at(0), objects: [{ value: 'x' } as unknown as Sco] },
        ]),
      (e) => isParleyError(e) && e.code === 'pattern.bad_observation',
    );
    const bad = [{ first_observed: 'yesterday', last_observed: at(0), objects: [] }];
    assert.throws(
      () => matchPattern(A, bad),
      (e) => isParleyError(e) && e.code === 'pattern.bad_observation',
    );
    assert.throws(
      () => matchPattern(A, [obs(0, [], { number_observed: 0 })]),
      (e) => isParleyError(e) && e.code === 'pattern.bad_observation',
    );
    assert.throws(
      () => matchPattern(A, [{ first_observed: at(5), last_observed: at(0), objects: [] }]),
      (e) => isParleyError(e) && e.code === 'pattern.bad_observation',
    );
  });
});

describe('pattern matching: the STIX 2.1 spec examples', () => {
  const t = (m: number) => at(m);
  const observed: Observation[] = [
    {
      first_observed: t(0),
      last_observed: t(0),
      objects: [
        {
          type: 'file',
          id: 'file--1',
          name: 'foo.dll',
          parent_directory_ref: 'directory--1',
          hashes: {
            MD5: '79054025255fb1a26e4bc422aef54eb4',
            'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
          },
        },
        { type: 'directory', id: 'directory--1', path: 'C:\\Windows\\System32' },
      ],
    },
    {
      first_observed: t(2),
      last_observed: t(2),
      objects: [{ type: 'win-registry-key', id: 'win-registry-key--1', key: 'HKEY_LOCAL_MACHINE\\foo\\bar' }],
    },
    {
      first_observed: t(3),
      last_observed: t(3),
      objects: [
        {
          type: 'email-message',
          id: 'email-message--1',
          from_ref: 'email-addr--1',
          body_multipart: [{ body_raw_ref: 'file--2' }],
        },
        { type: 'email-addr', id: 'email-addr--1', value: 'boss@example.com' },
        { type: 'file', id: 'file--2', name: 'Final Report 2024.exe' },
        {
          type: 'domain-name',
          id: 'domain-name--1',
          value: 'www.5z8.info',
          resolves_to_refs: ['ipv4-addr--1'],
        },
        { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.1/32' },
        { type: 'network-traffic', id: 'network-traffic--1', dst_ref: 'ipv6-addr--1' },
        { type: 'ipv6-addr', id: 'ipv6-addr--1', value: '2001:db8:dead:beef::42' },
      ],
    },
  ];
  const spec = readFileSync(sharedData('cti-pattern-validator', 'spec_examples_v21.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const matched = new Set([0, 1, 4, 7, 12, 20, 21].map((i) => spec[i]));

  it('evaluates every example, and matches those the data was built for', () => {
    assert.equal(spec.length, 23);
    for (const p of spec) assert.equal(matchPattern(p, observed).matched, matched.has(p), p);
  });
});
