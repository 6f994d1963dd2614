import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sharedData } from '../../test/support/shared-data.js';
import { readJson } from './test-data.js';
import { TLP1_IDS } from './tlp.js';
import { isStix20Object, upgrade20, upgrade20InPlace, upgrade20InPlaceWithText } from './upgrade.js';
import { createStixValidator } from './validate.js';

const v = createStixValidator();

describe('STIX 2.0 to 2.1 upgrade', () => {
  it('upgrades every object of ATT&CK Enterprise 18.1 (STIX 2.0 edition) to valid 2.1', () => {
    const bundle = readJson(sharedData('mitre-cti', 'enterprise-attack-18.1-assembled-stix20.json'));
    const objects = bundle.objects as Record<string, unknown>[];
    assert.equal(objects.length, 24771);
    assert.ok(objects.every(isStix20Object));
    const up = upgrade20(bundle);
    assert.equal(up.spec_version, undefined, 'a 2.1 bundle has no spec_version');
    const r = v.validateBundle(up);
    assert.deepEqual(r.errors.slice(0, 5), []);
    assert.equal(r.results.length, 24771);
    const malware = (up.objects as Record<string, unknown>[]).filter((o) => o.type === 'malware');
    assert.ok(malware.every((m) => m.is_family === true && m.spec_version === '2.1'));
  });

  it('adds what 2.1 requires and maps 2.0 labels onto the new vocabularies', () => {
    const tool = upgrade20({
      type: 'tool',
      id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2016-04-06T20:03:48Z',
      modified: '2016-04-06T20:03:48.1Z',
      name: 'VNC',
      labels: ['remote-access', 'tool'],
    });
    assert.deepEqual(tool, {
      type: 'tool',
      spec_version: '2.1',
      id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2016-04-06T20:03:48.000Z',
      modified: '2016-04-06T20:03:48.100Z',
      name: 'VNC',
      labels: ['remote-access', 'tool'],
      tool_types: ['remote-access'],
    });
    const indicator = upgrade20({
      type: 'indicator',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2016-04-06T20:03:48.000Z',
      modified: '2016-04-06T20:03:48.000Z',
      labels: ['malicious-activity'],
      pattern: "[file:name = 'x']",
      valid_from: '2016-04-06T20:03:48Z',
    });
    assert.equal(indicator.pattern_type, 'stix');
    assert.deepEqual(indicator.indicator_types, ['malicious-activity']);
    assert.ok(v.validate(indicator).ok);
  });

  it('replaces TLP 1.0 markings by their 2.1 definitions and leaves 2.1 objects alone', () => {
    const tlp = upgrade20({
      type: 'marking-definition',
      id: TLP1_IDS.green,
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      definition: { tlp: 'green' },
    });
    assert.equal(tlp.name, 'TLP:GREEN');
    assert.ok(v.validate(tlp).ok);
    const o = { type: 'x-thing', spec_version: '2.1', id: 'x-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' };
    assert.equal(upgrade20(o), o);
  });

  it('upgrades in place to the same text as the copying upgrade, object by object', () => {
    const text = readFileSync(
      sharedData('mitre-cti', 'enterprise-attack-18.1-assembled-stix20.json'),
      'utf8',
    );
    const originals = (JSON.parse(text) as { objects: Record<string, unknown>[] }).objects;
    const owned = (JSON.parse(text) as { objects: Record<string, unknown>[] }).objects;
    const extra: Record<string, unknown>[] = [
      {
        type: 'indicator',
        id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        spec_version: '2.0',
        labels: ['benign', 'x'],
        created: '2016-04-06T20:03:48.1Z',
      },
      {
        type: 'marking-definition',
        id: TLP1_IDS.red,
        created: '2017-01-20T00:00:00.000Z',
        definition_type: 'tlp',
        definition: { tlp: 'red' },
      },
    ];
    for (const o of extra) {
      originals.push(structuredClone(o));
      owned.push(o);
    }
    originals.forEach((o, i) => {
      const copy = JSON.stringify(upgrade20(o));
      assert.equal(
        JSON.stringify(upgrade20InPlace(owned[i] as Record<string, unknown>)),
        copy,
        `object ${i}`,
      );
    });
  });

  it('makes the text of an upgraded object that parses to it, property order included', () => {
    const file = readFileSync(
      sharedData('mitre-cti', 'enterprise-attack-18.1-assembled-stix20.json'),
      'utf8',
    );
    // Each object's text, compact and with spaces between members (as MITRE writes it).
    const texts = (JSON.parse(file) as { objects: unknown[] }).objects.map((o) => JSON.stringify(o));
    const spaced = texts.map((t) => t.replaceAll('","', '", "'));
    const cases: string[] = [
      ...texts,
      ...spaced.slice(0, 500),
      // Every branch: vocabulary added or kept, is_family, pattern_type, spec_version replaced,
      // a timestamp padded, TLP substituted, a marking definition, text on several lines, spaces.
      '{"type":"tool","id":"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","name":"VNC","labels":["remote-access","tool"]}',
      '{"type":"malware","labels":["x"],"tool_types":[], "malware_types":["wiper"] , "is_family":false }',
      '{"type":"indicator","pattern":"[file:name = \'x\']","labels":["benign","x"]}',
      '{"type":"indicator","spec_version":"2.0","labels":["benign"]}',
      '{"type":"indicator","created":"2016-04-06T20:03:48.1Z"}',
      `{"type":"marking-definition","id":"${TLP1_IDS.red}","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"red"}}`,
      '{"type": "marking-definition", "id": "marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}',
      '{\n"type":"campaign",\n"name":"x"\n}',
      '{"type":"constructor","labels":["a"]}',
      '{"type":"x-thing","\\u0041":"\\"}"}',
      '{}',
      '{ \t}',
    ];
    for (const raw of cases) {
      const expected = upgrade20(JSON.parse(raw) as Record<string, unknown>);
      const { value, json } = upgrade20InPlaceWithText(JSON.parse(raw) as Record<string, unknown>, raw);
      assert.equal(JSON.stringify(value), JSON.stringify(expected), raw);
      // Same properties, same values, same order; one line.
      assert.equal(JSON.stringify(JSON.parse(json)), JSON.stringify(expected), raw);
      assert.ok(!json.includes('\n'), raw);
    }
    // The added properties are written onto the text as read, not a new serialisation of it.
    const kept = upgrade20InPlaceWithText(JSON.parse(spaced[0] as string), spaced[0] as string);
    assert.ok(kept.json.startsWith((spaced[0] as string).slice(0, -1)));
  });
});
