/** The STIX core against published material: OASIS examples, OASIS validator examples, ATT&CK. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedData } from '../../test/support/shared-data.js';
import { attack, oasisExamples, readJson, validatorBaseObjects, validatorExamplesDir } from './test-data.js';
import { specSeeds } from './test-seeds.js';
import { createStixValidator } from './validate.js';

const v = createStixValidator();

describe('OASIS cti-stix2-json-schemas examples', () => {
  it('accepts all 260 example objects', () => {
    const all = oasisExamples();
    assert.equal(all.length, 260);
    for (const { file, object } of all) {
      const r = v.validate(object);
      assert.ok(r.ok, `${file} ${String(object.id)}: ${JSON.stringify(r.ok ? [] : r.errors)}`);
    }
  });

  it('accepts each example bundle as a batch, but for one deliberately unknown marking', () => {
    const dir = sharedData('cti-stix2-json-schemas', 'examples');
    for (const f of ['threat-reports/apt1.json', 'threat-reports/poisonivy.json', 'infrastructure.json']) {
      assert.ok(v.validateBundle(readJson(path.join(dir, f))).ok, f);
    }
    // interop-objectmarking-test.json marks a campaign with ...-d15ca92d5ec, one character off TLP:RED.
    const r = v.validateBatch([readJson(path.join(dir, 'interop-objectmarking-test.json'))]);
    assert.deepEqual(
      r.errors.map((e) => [e.rule, e.path]),
      [['stix.marking_unresolved', '/object_marking_refs/1']],
    );
  });
});

describe('OASIS cti-stix-validator v21 test examples', () => {
  // The rule each invalid example breaks.
  const expected: Record<string, [string, string]> = {
    'invalid_braces.json': ['stix.json', ''],
    'invalid_comma.json': ['stix.json', ''],
    'invalid_identity.json': ['stix.required', '/modified'],
    'invalid_timestamp.json': ['stix.modified_before_created', '/modified'],
  };
  const dir = validatorExamplesDir();
  const files = readdirSync(dir).sort();

  it('rejects every invalid_* example naming its rule', () => {
    const invalid = files.filter((f) => f.startsWith('invalid_'));
    assert.deepEqual(invalid, Object.keys(expected).sort());
    for (const f of invalid) {
      const r = v.validateJson(readFileSync(path.join(dir, f), 'utf8'));
      assert.equal(r.ok, false, f);
      assert.deepEqual(
        r.errors.map((e) => [e.rule, e.path.replace(/^\/objects\/\d+/, '')]),
        [expected[f]],
        f,
      );
    }
  });

  it('accepts the other examples (custom properties, unicode, the TLP 2.0 AMBER marking)', () => {
    const valid = files.filter((f) => !f.startsWith('invalid_'));
    assert.ok(valid.length >= 6);
    for (const f of valid) {
      const r = v.validateJson(readFileSync(path.join(dir, f), 'utf8'));
      assert.ok(r.ok, `${f}: ${JSON.stringify(r.errors)}`);
    }
  });

  it('accepts the validator base objects, except where parley is knowingly stricter', () => {
    const stricter: Record<string, string | string[]> = {
      // Named invalid by the OASIS tests themselves: an x-foo-bar with an x-type id, no spec_version.
      'indicator_tests:ADDTNL_INVALID_SCHEMA': ['stix.required', 'stix.id_prefix'],
      // A base object their tests add spec_version to; every OASIS schema requires it.
      'spec_version_tests:VALID_BUNDLE': 'stix.required',
      // Marked with marking-definition--...ef, which is defined nowhere: unresolvable in a batch.
      'interop_tests:OBJECT_MARKINGS_SUCCESS': 'stix.marking_unresolved',
      // UUIDv5 ids copied from the specification's examples, not derived from the values.
      'ip_addr_tests:VALID_IPV4': 'stix.sco_id',
      'ip_addr_tests:VALID_IPV6': 'stix.sco_id',
      'network_traffic_tests:VALID_NETWORK_TRAFFIC_DEFINITION': 'stix.sco_id',
      'observed_data_tests:VALID_OBJECT': 'stix.sco_id',
    };
    for (const [name, o] of Object.entries(validatorBaseObjects())) {
      const r = o.type === 'bundle' ? v.validateBundle(o) : v.validateBatch([o]);
      const rules = [...new Set(r.errors.map((e) => e.rule))];
      assert.deepEqual(rules, [stricter[name] ?? []].flat(), name);
      if (stricter[name] === 'stix.sco_id') {
        assert.ok(v.validateBatch([o], { scoIds: 'lenient' }).ok, `${name} lenient`);
      }
    }
  });
});

describe('MITRE ATT&CK for ICS', () => {
  for (const file of ['ics-attack-17.1.json', 'ics-attack-18.1.json']) {
    it(`accepts every object of ${file}, alone and as one batch`, () => {
      const objects = attack(file);
      assert.ok(objects.length > 1600);
      for (const o of objects) {
        const r = v.validate(o);
        assert.ok(r.ok, `${String(o.id)}: ${JSON.stringify(r.ok ? [] : r.errors)}`);
      }
      const batch = v.validateBatch(objects);
      assert.deepEqual(batch.errors, []);
    });
  }
});

describe('one object of every STIX 2.1 type (after the specification examples)', () => {
  it('accepts each, with every rule applied', () => {
    const seeds = specSeeds();
    const types = new Set(seeds.map((o) => o.type));
    assert.ok(types.size >= 30, `${types.size} types`);
    for (const o of seeds) {
      const r = v.validate(o);
      assert.ok(r.ok, `${String(o.id)}: ${JSON.stringify(r.ok ? [] : r.errors)}`);
      assert.deepEqual(r.warnings, [], String(o.id));
    }
  });
});
