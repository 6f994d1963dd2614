/** One test per rule that the OASIS schemas cannot express (rules.ts, validate.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stixPatternProblem } from './pattern-check.js';
import { STIX_RULES } from './rule-codes.js';
import { oasisExamples } from './test-data.js';
import { TLP1_IDS, TLP2_EXTENSION_ID, TLP2_IDS, tlpMarkingDefinitions } from './tlp.js';
import { createStixValidator, type ValidationResult } from './validate.js';

const v = createStixValidator();
type Json = Record<string, unknown>;

const indicator = (over: Json = {}): Json => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2024-04-06T20:03:48.000Z',
  modified: '2024-04-06T20:03:48.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.3']",
  pattern_type: 'stix',
  valid_from: '2024-04-06T20:03:48Z',
  ...over,
});

const MARKING = 'marking-definition--2b6bd5ab-1ac6-4e1b-ae8b-4bfa5f8b2c51';
const statement = (over: Json = {}): Json => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: MARKING,
  created: '2024-01-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement: 'Copyright 2024 Example' },
  ...over,
});

/** The [rule, path, severity] of every issue of a result. */
const issues = (r: ValidationResult) =>
  [...(r.ok ? [] : r.errors), ...r.warnings].map((e) => [e.rule, e.path, e.severity]);

describe('rules beyond the schema', () => {
  it('accepts the base objects', () => {
    assert.deepEqual(issues(v.validate(indicator())), []);
    assert.deepEqual(issues(v.validate(statement())), []);
  });

  it('stix.id_prefix: the id starts with the object type', () => {
    const r = v.validate(indicator({ id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }));
    assert.deepEqual(issues(r), [['stix.id_prefix', '/id', 'error']]);
    const custom = { type: 'x-thing', id: 'x-other--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' };
    assert.deepEqual(issues(v.validate(custom)), [['stix.id_prefix', '/id', 'error']]);
  });

  it('stix.modified_before_created, comparing beyond milliseconds', () => {
    const r = v.validate(
      indicator({ created: '2024-04-06T20:03:48.0001Z', modified: '2024-04-06T20:03:48.000Z' }),
    );
    assert.deepEqual(issues(r), [['stix.modified_before_created', '/modified', 'error']]);
    assert.ok(
      v.validate(indicator({ created: '2024-04-06T20:03:48.000Z', modified: '2024-04-06T20:03:48.0000Z' }))
        .ok,
    );
  });

  it('stix.timestamp: a calendar date that does not exist', () => {
    const r = v.validate(indicator({ valid_from: '2023-02-29T00:00:00Z' }));
    assert.deepEqual(issues(r), [['stix.timestamp', '/valid_from', 'error']]);
    assert.ok(v.validate(indicator({ valid_from: '2024-02-29T00:00:00Z' })).ok, 'leap day');
  });

  it('stix.time_order: valid_until after valid_from, last_seen not before first_seen', () => {
    const r = v.validate(indicator({ valid_until: '2024-04-06T20:03:48Z' }));
    assert.deepEqual(issues(r), [['stix.time_order', '/valid_until', 'error']]);
    const campaign = {
      type: 'campaign',
      spec_version: '2.1',
      id: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2024-04-06T20:03:48.000Z',
      modified: '2024-04-06T20:03:48.000Z',
      name: 'c',
      first_seen: '2024-01-02T00:00:00Z',
      last_seen: '2024-01-01T00:00:00Z',
    };
    assert.deepEqual(issues(v.validate(campaign)), [['stix.time_order', '/last_seen', 'error']]);
  });

  it('stix.spec_version: 2.0 objects are upgraded before validation', () => {
    assert.deepEqual(issues(v.validate(indicator({ spec_version: '2.0' }))), [
      ['stix.spec_version', '/spec_version', 'error'],
    ]);
  });

  it('stix.ref_type: created_by_ref names an identity (a warning), marking refs name markings', () => {
    const r = v.validate(indicator({ created_by_ref: 'source--f431f809-377b-45e0-aa1c-6a4751cae5ff' }));
    assert.ok(r.ok);
    assert.deepEqual(issues(r), [['stix.ref_type', '/created_by_ref', 'warning']]);
    const m = v.validate(
      indicator({ object_marking_refs: ['identity--f431f809-377b-45e0-aa1c-6a4751cae5ff'] }),
    );
    assert.deepEqual(issues(m), [['stix.ref_type', '/object_marking_refs/0', 'error']]);
  });

  it('stix.sco_id: UUIDv5 of the ID-contributing properties', () => {
    const ip = { type: 'ipv4-addr', spec_version: '2.1', value: '198.51.100.3' };
    // The id section 2.9 derives for this value (RFC 8785 + UUIDv5 in the STIX namespace).
    const good = { ...ip, id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4' };
    assert.deepEqual(issues(v.validate(good)), []);
    const wrongV5 = { ...ip, id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd' };
    assert.deepEqual(issues(v.validate(wrongV5)), [['stix.sco_id', '/id', 'error']]);
    assert.deepEqual(issues(v.validate(wrongV5, { scoIds: 'lenient' })), [['stix.sco_id', '/id', 'warning']]);
    const v4 = { ...ip, id: 'ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956' };
    assert.deepEqual(issues(v.validate(v4)), [['stix.sco_id', '/id', 'warning']]);
    // process has no ID-contributing properties: any UUID will do.
    const proc = { type: 'process', id: 'process--1e4ffad7-0b88-51d4-ba4d-77d27490b956', pid: 4 };
    assert.deepEqual(issues(v.validate(proc)), []);
  });

  it('stix.marking_unresolved: references resolve to the batch, TLP or the caller', () => {
    const o = indicator({ object_marking_refs: [MARKING, TLP2_IDS.amber] });
    assert.ok(v.validate(o).ok, 'not checked without a resolver');
    assert.deepEqual(issues(v.validate(o, { knownMarkings: new Set() })), [
      ['stix.marking_unresolved', '/object_marking_refs/0', 'error'],
    ]);
    assert.ok(v.validate(o, { knownMarkings: new Set([MARKING]) }).ok);
    assert.ok(v.validate(o, { knownMarkings: (id) => id === MARKING }).ok);
    assert.ok(v.validateBatch([o, statement()]).ok, 'defined in the same batch');
    const lonely = v.validateBatch([o]);
    assert.deepEqual(
      lonely.errors.map((e) => [e.rule, e.index]),
      [['stix.marking_unresolved', 0]],
    );
    const granular = indicator({ granular_markings: [{ selectors: ['pattern'], marking_ref: MARKING }] });
    assert.deepEqual(
      v.validateBatch([granular]).errors.map((e) => [e.rule, e.path]),
      [['stix.marking_unresolved', '/granular_markings/0/marking_ref']],
    );
  });

  it('stix.selector_unresolved: granular selectors select something', () => {
    const o = indicator({
      external_references: [{ source_name: 'x', url: 'https://example.org/' }],
      granular_markings: [
        {
          selectors: ['pattern', 'external_references.[0].url', 'external_references.[1]', 'nope'],
          marking_ref: TLP1_IDS.red,
        },
      ],
    });
    assert.deepEqual(issues(v.validate(o)), [
      ['stix.selector_unresolved', '/granular_markings/0/selectors/2', 'error'],
      ['stix.selector_unresolved', '/granular_markings/0/selectors/3', 'error'],
    ]);
  });

  it('stix.marking_cycle: a marking definition marking itself, or a cycle in a batch', () => {
    const self = statement({ object_marking_refs: [MARKING] });
    assert.deepEqual(issues(v.validate(self)), [['stix.marking_cycle', '/object_marking_refs/0', 'error']]);
    const other = 'marking-definition--0f8c9a0e-6a3f-4d0e-9f8e-2f2f6d4e4c11';
    const a = statement({ granular_markings: [{ selectors: ['definition'], marking_ref: other }] });
    const b = statement({ id: other, object_marking_refs: [MARKING] });
    const r = v.validateBatch([a, b]);
    assert.deepEqual(
      r.errors.map((e) => [e.rule, e.index]),
      [
        ['stix.marking_cycle', 0],
        ['stix.marking_cycle', 1],
      ],
    );
    const c = statement({ id: other });
    assert.ok(v.validateBatch([a, c]).ok, 'a chain without a cycle is fine');
  });

  it('stix.tlp: well-known TLP ids say what they are', () => {
    for (const m of tlpMarkingDefinitions()) assert.deepEqual(issues(v.validate(m)), [], String(m.id));
    const redAsStatement = statement({ id: TLP1_IDS.red });
    assert.deepEqual(issues(v.validate(redAsStatement)), [['stix.tlp', '/definition', 'error']]);
    const amber = tlpMarkingDefinitions().find((m) => m.id === TLP2_IDS.amber) as Json;
    const wrongLevel = {
      ...amber,
      extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'red' } },
    };
    assert.deepEqual(issues(v.validate(wrongLevel)), [
      ['stix.tlp', `/extensions/${TLP2_EXTENSION_ID}`, 'error'],
    ]);
    const foreign = { ...amber, id: MARKING };
    assert.deepEqual(issues(v.validate(foreign)), [
      ['stix.tlp', `/extensions/${TLP2_EXTENSION_ID}/tlp_2_0`, 'error'],
    ]);
  });

  it('stix.pattern_syntax: indicator patterns parse, when the caller asks', () => {
    const bad = indicator({ pattern: "[file:name = 'x'" });
    assert.ok(v.validate(bad).ok, 'not parsed without checkPattern');
    assert.deepEqual(issues(v.validate(bad, { checkPattern: stixPatternProblem })), [
      ['stix.pattern_syntax', '/pattern', 'error'],
    ]);
    assert.ok(v.validate(indicator(), { checkPattern: stixPatternProblem }).ok);
    const yara = indicator({ pattern_type: 'yara', pattern: 'rule x { condition: true }' });
    assert.ok(v.validate(yara, { checkPattern: stixPatternProblem }).ok, 'other languages are not parsed');
    for (const { object } of oasisExamples()) {
      if (object.type === 'indicator')
        assert.ok(v.validate(object, { checkPattern: stixPatternProblem }).ok, String(object.id));
    }
  });

  it('stix.uuid_version: SDO ids should be UUIDv4 (a warning)', () => {
    const r = v.validate(indicator({ id: 'indicator--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f' }));
    assert.ok(r.ok);
    assert.deepEqual(issues(r), [['stix.uuid_version', '/id', 'warning']]);
  });

  it('every reported rule code is catalogued', () => {
    for (const code of ['stix.required', 'stix.sco_id', 'stix.marking_cycle', 'stix.revoked_is_final']) {
      assert.ok(STIX_RULES[code], code);
    }
  });

  it('stix.json, stix.not_an_object, stix.nested_bundle: input that is not a STIX object', () => {
    assert.deepEqual(
      issues(v.validate({ type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' })),
      [['stix.nested_bundle', '/type', 'error']],
    );
    assert.deepEqual(
      v.validateJson('{"type": ').errors.map((e) => e.rule),
      ['stix.json'],
    );
    const r = v.validate([1, 2]);
    assert.deepEqual(issues(r), [['stix.not_an_object', '', 'error']]);
  });
});

describe('schema rule codes and paths', () => {
  const first = (r: ValidationResult) => (r.ok ? [] : r.errors.map((e) => [e.rule, e.path, e.id]));
  const id = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

  it('names the path, rule and object of each error', () => {
    const r = v.validate(indicator({ external_references: [{ url: 'https://example.org/' }] }));
    // The reference also fails its oneOf (cve / capec / other source), named once for the item.
    assert.deepEqual(first(r), [
      ['stix.external_reference', '/external_references/0', id],
      ['stix.required', '/external_references/0/source_name', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ created: '2024-04-06T20:03:48Z' }))), [
      ['stix.timestamp_precision', '/created', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ valid_from: '2024-04-06 20:03:48Z' }))), [
      ['stix.timestamp', '/valid_from', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ created_by_ref: 'nope' }))), [
      ['stix.identifier', '/created_by_ref', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ 'Bad-Name': 1 }))), [
      ['stix.property_name', '/Bad-Name', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ x_empty: [] }))), [
      ['stix.property_value', '/x_empty', id],
    ]);
    assert.deepEqual(first(v.validate(indicator({ x_data_hex: 'xyz' }))), [['stix.hex', '/x_data_hex', id]]);
    assert.deepEqual(first(v.validate(indicator({ confidence: 101 }))), [['stix.range', '/confidence', id]]);
    assert.deepEqual(first(v.validate(indicator({ labels: [] }))), [['stix.empty_list', '/labels', id]]);
    assert.deepEqual(first(v.validate(indicator({ pattern: 7 }))), [['stix.property_type', '/pattern', id]]);
    assert.deepEqual(first(v.validate(indicator({ severity: 'high' }))), [
      ['stix.reserved_property', '', id],
    ]);
  });

  it('names cross-property constraints', () => {
    const loc = {
      type: 'location',
      spec_version: '2.1',
      id: 'location--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2024-04-06T20:03:48.000Z',
      modified: '2024-04-06T20:03:48.000Z',
      latitude: 48.8566,
    };
    const rules = (o: Json) => {
      const r = v.validate(o);
      return r.ok ? [] : [...new Set(r.errors.map((e) => e.rule))].sort();
    };
    assert.deepEqual(rules(loc), ['stix.location_coordinates', 'stix.location_required']);
    const malware = {
      ...loc,
      type: 'malware',
      id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      is_family: true,
    };
    delete (malware as Json).latitude;
    assert.deepEqual(rules(malware), ['stix.malware_family_name']);
    const ref = indicator({ external_references: [{ source_name: 'cve', external_id: 'CVE-20-1' }] });
    assert.deepEqual(rules(ref), ['stix.external_reference']);
  });
});
