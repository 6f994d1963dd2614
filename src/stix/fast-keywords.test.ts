import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExternalReference } from './common.js';
import { SchemaCompiler } from './compile.js';

describe('keywords of the checking validator', () => {
  it('external references: the one-pass oneOf gives the verdicts of the oneOf, on every combination', () => {
    const c = new SchemaCompiler().compile(ExternalReference);
    const sources = [undefined, 'cve', 'capec', 'mitre-attack', 'cve\n', 'CVE', 'capec-x', 5, null];
    const ids = [
      undefined,
      'CVE-2020-1234',
      'CVE-2020-0123',
      'CVE-2020-012',
      'CAPEC-12',
      'CAPEC-',
      'T1059',
      7,
    ];
    const descriptions = [undefined, 'text', 3];
    const urls = [undefined, 'https://example.org/a', 'not a uri'];
    let checked = 0;
    let passed = 0;
    for (const source_name of sources)
      for (const external_id of ids)
        for (const description of descriptions)
          for (const url of urls) {
            const ref: Record<string, unknown> = {};
            if (source_name !== undefined) ref.source_name = source_name;
            if (external_id !== undefined) ref.external_id = external_id;
            if (description !== undefined) ref.description = description;
            if (url !== undefined) ref.url = url;
            const verdict = c.explain(ref);
            assert.equal(c.check(ref), verdict, JSON.stringify(ref));
            checked++;
            if (verdict) passed++;
          }
    for (const other of ['cve', 42, null, []]) assert.equal(c.check(other), c.explain(other));
    // Both outcomes occur, so the comparison means something.
    assert.ok(passed > 20 && passed < checked, `${passed} of ${checked} pass`);
  });
});
