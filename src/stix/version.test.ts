import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attack } from './test-data.js';
import { checkSuccessor, compareVersions, toStoreHead, versionKey, versionOf } from './version.js';

const base = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: 'x',
  is_family: true,
};
const later = { ...base, modified: '2024-02-01T00:00:00.000Z', name: 'y' };

describe('versions', () => {
  it('a version is (id, modified); markings use created; SCOs have none', () => {
    assert.equal(versionOf(base), '2024-01-01T00:00:00.000Z');
    assert.equal(versionKey(base), `${base.id}@2024-01-01T00:00:00.000Z`);
    assert.equal(
      versionOf({ id: 'marking-definition--x', created: '2017-01-20T00:00:00.000Z' }),
      '2017-01-20T00:00:00.000Z',
    );
    assert.equal(versionOf({ id: 'ipv4-addr--x' }), '');
  });

  it('orders versions by time, sub-millisecond digits included', () => {
    assert.ok(compareVersions(base, later) < 0);
    assert.ok(compareVersions(later, base) > 0);
    assert.equal(compareVersions(base, { ...base }), 0);
    assert.ok(
      compareVersions({ modified: '2024-01-01T00:00:00.000Z' }, { modified: '2024-01-01T00:00:00.0001Z' }) <
        0,
    );
    assert.ok(compareVersions({}, base) < 0);
  });

  it('builds the store head', () => {
    assert.deepEqual(toStoreHead({ ...base, revoked: false }), {
      id: base.id,
      type: 'malware',
      spec_version: '2.1',
      created: base.created,
      modified: base.modified,
      revoked: false,
    });
    assert.deepEqual(toStoreHead({ type: 'ipv4-addr', id: 'ipv4-addr--x' }), {
      id: 'ipv4-addr--x',
      type: 'ipv4-addr',
    });
  });

  it('accepts a later version and the same version again', () => {
    assert.equal(checkSuccessor(base, later), undefined);
    assert.equal(checkSuccessor(base, { ...base }), undefined);
  });

  it('revoked is final', () => {
    const revoked = { ...later, revoked: true };
    const after = { ...base, modified: '2024-03-01T00:00:00.000Z' };
    assert.equal(checkSuccessor(revoked, after)?.rule, 'stix.revoked_is_final');
  });

  it('same version, other content; created changed; type changed', () => {
    assert.equal(checkSuccessor(base, { ...base, name: 'z' })?.rule, 'stix.version_conflict');
    assert.equal(
      checkSuccessor(base, { ...later, created: '2023-01-01T00:00:00.000Z' })?.rule,
      'stix.created_changed',
    );
    assert.equal(checkSuccessor(base, { ...later, type: 'tool' })?.rule, 'stix.type_changed');
  });

  it('marking definitions are immutable', () => {
    const m = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--2b6bd5ab-1ac6-4e1b-ae8b-4bfa5f8b2c51',
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'a' },
    };
    assert.equal(checkSuccessor(m, structuredClone(m)), undefined);
    assert.equal(checkSuccessor(m, { ...m, definition: { statement: 'b' } })?.rule, 'stix.marking_immutable');
  });

  it('ATT&CK ICS 17.1 -> 18.1: newer versions pass; content changed under the same modified is caught', () => {
    const old = new Map(attack('ics-attack-17.1.json').map((o) => [o.id, o]));
    let changed = 0;
    const conflicts: string[] = [];
    for (const o of attack('ics-attack-18.1.json')) {
      const prev = old.get(o.id);
      if (!prev) continue;
      if (compareVersions(prev, o) < 0) changed++;
      const r = checkSuccessor(prev, o);
      if (r) {
        assert.equal(r.rule, 'stix.version_conflict', String(o.id));
        conflicts.push(String(o.id));
      }
    }
    assert.ok(changed >= 77, `${changed} newer versions`);
    // MITRE dropped x_mitre_data_sources from 70 techniques in 18.1 without a new `modified`:
    // section 3.6 calls that the same version, so a store keeps the first one it saw.
    assert.equal(conflicts.length, 70);
  });
});
