import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractIndexable } from './indexable.js';
import { parsePattern } from './parser.js';

const ix = (p: string) => extractIndexable(parsePattern(p));

describe('extractIndexable', () => {
  it('covers OR of simple equality observations fully', () => {
    const r = ix("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'x.com']");
    assert.equal(r.fullyCovered, true);
    assert.deepEqual(r.observations, [
      {
        exact: true,
        comparisons: [
          {
            objectType: 'ipv4-addr',
            path: [{ kind: 'key', key: 'value' }],
            property: 'value',
            op: '=',
            values: [{ type: 'string', value: '1.2.3.4' }],
          },
        ],
      },
      {
        exact: true,
        comparisons: [
          {
            objectType: 'domain-name',
            path: [{ kind: 'key', key: 'value' }],
            property: 'value',
            op: '=',
            values: [{ type: 'string', value: 'x.com' }],
          },
        ],
      },
    ]);
  });

  it('covers IN, ISSUBSET and OR inside brackets', () => {
    const r = ix(
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' OR file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f')] OR [ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    );
    assert.equal(r.fullyCovered, true);
    assert.deepEqual(
      r.observations.map((o) => o.comparisons?.map((c) => `${c.objectType}:${c.property} ${c.op}`)),
      [["file:hashes.'SHA-256' =", 'file:hashes.MD5 IN'], ['ipv4-addr:value ISSUBSET']],
    );
  });

  it('is not fully covered by AND, FOLLOWEDBY, qualifiers, NOT or other operators', () => {
    for (const p of [
      "[file:name = 'a' AND file:size = 3]",
      "[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.com']",
      "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'x.com']",
      "[ipv4-addr:value = '1.2.3.4'] REPEATS 2 TIMES",
      "[ipv4-addr:value NOT = '1.2.3.4']",
      "[file:name LIKE 'a%']",
      '[EXISTS file:name]',
    ]) {
      assert.equal(ix(p).fullyCovered, false, p);
    }
  });

  it('still offers a necessary lookup where one exists', () => {
    const and = ix("[file:name LIKE 'a%' AND file:size IN (1, 2) AND file:mime_type = 'x']").observations[0]!;
    assert.equal(and.exact, false);
    assert.deepEqual(
      and.comparisons?.map((c) => c.property),
      ['size'],
    );
    const or = ix("[file:name LIKE 'a%' OR file:size = 1]").observations[0]!;
    assert.deepEqual(or, { comparisons: null, exact: false });
    const seq = ix('[a:b = 1] FOLLOWEDBY [c:d > 2] WITHIN 5 SECONDS');
    assert.deepEqual(
      seq.observations.map((o) => o.comparisons?.length ?? null),
      [1, null],
    );
  });
});
