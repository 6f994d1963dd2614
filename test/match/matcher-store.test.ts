/**
 * The Matcher following the store: incremental refresh after ingest, new versions, revocation and
 * expiry; a rebuild from the store at start; on every back end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../src/core/index.js';
import { Matcher, recordSightings } from '../../src/match/index.js';
import { toStoreHead } from '../../src/stix/index.js';
import { createStixStore, type Database, openDatabase, type StixStore } from '../../src/store/index.js';
import { BACKENDS } from '../support/backends.js';
import { AMBER, indicator, NOW } from './fixtures.js';

const toRows = (objs: Record<string, unknown>[]) =>
  objs.map((o) => ({ head: toStoreHead(o as never), json: JSON.stringify(o) }));

for (const backend of BACKENDS) {
  describe(`Matcher on ${backend.name}`, () => {
    let drop: () => Promise<void>;
    let database: Database;
    let store: StixStore;
    let coll: string;
    let now = NOW;
    const clock: Clock = { now: () => now };

    before(async () => {
      const fresh = await backend.fresh();
      drop = fresh.drop;
      database = await openDatabase(fresh.url);
      await database.migrate();
      store = createStixStore(database);
      coll = (await store.createCollection({ alias: 'local', title: 'local' })).id;
    });
    after(async () => {
      await database.close();
      await drop();
    });

    it('refreshes incrementally: ingest, new version, revocation, expiry; rebuilds at start', async () => {
      const a = indicator("[domain-name:value = 'a.example']", {
        object_marking_refs: [AMBER],
        created_by_ref: 'identity--11111111-1111-4111-8111-111111111111',
        confidence: 80,
      });
      const b = indicator("[ipv4-addr:value ISSUBSET '203.0.113.0/24']", {
        valid_until: '2025-07-01T00:00:00Z',
      });
      await store.ingest(coll, toRows([a, b]));
      const m = await Matcher.open(store, { clock, pageSize: 1 });
      const ids = (v: string) => m.lookup([v])[0]!.matches.map((x) => x.id);

      const [hit] = m.lookup(['A.example'])[0]!.matches;
      assert.deepEqual(hit, {
        id: a.id,
        name: a.name,
        pattern: a.pattern,
        tlp: 'amber',
        origin: a.created_by_ref,
        createdBy: a.created_by_ref,
        collection: 'local',
        confidence: 80,
        validFrom: a.valid_from,
        modified: a.modified,
      });
      assert.deepEqual(ids('203.0.113.9'), [b.id]);
      assert.equal(m.lookup(['203.0.113.9'])[0]!.matches[0]!.origin, 'collection:local');

      // Nothing new: a refresh reads nothing.
      assert.deepEqual(await m.refresh(), { read: 0, added: 0, replaced: 0, removed: 0 });

      // A new indicator, a new version of a, and b revoked.
      const c = indicator("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']");
      const a2 = {
        ...a,
        modified: '2024-02-01T00:00:00.000Z',
        pattern: "[domain-name:value = 'a2.example']",
      };
      const b2 = { ...b, modified: '2024-02-01T00:00:00.000Z', revoked: true };
      await store.ingest(coll, toRows([c, a2, b2]));
      assert.deepEqual(await m.refresh(), { read: 3, added: 1, replaced: 1, removed: 1 });
      assert.deepEqual(ids('a.example'), []);
      assert.deepEqual(ids('a2.example'), [a.id]);
      assert.deepEqual(ids('203.0.113.9'), []);
      assert.deepEqual(ids('CEAD3F77F6CDA6EC00F57D76C9A6879F'), [c.id]);

      // An older version ingested late changes nothing.
      const a0 = {
        ...a,
        modified: '2023-06-01T00:00:00.000Z',
        pattern: "[domain-name:value = 'a0.example']",
      };
      await store.ingest(coll, toRows([a0]));
      await m.refresh();
      assert.deepEqual(ids('a0.example'), []);

      // Expiry needs no refresh: validity is checked at lookup time.
      const d = indicator("[domain-name:value = 'd.example']", { valid_until: '2025-06-02T00:00:00Z' });
      await store.ingest(coll, toRows([d]));
      await m.refresh();
      assert.deepEqual(ids('d.example'), [d.id]);
      now = Date.parse('2025-06-02T00:00:00Z');
      assert.deepEqual(ids('d.example'), []);
      now = NOW;

      // A second collection (e.g. synced from a peer) is followed too.
      const peer = (await store.createCollection({ alias: 'peer-b', title: 'from B' })).id;
      const e = indicator("[url:value = 'http://e.example/x']");
      await store.ingest(peer, toRows([e]));
      await m.refresh();
      assert.deepEqual(
        m.lookup(['HTTP://E.example/x'])[0]!.matches.map((x) => [x.id, x.collection]),
        [[e.id, 'peer-b']],
      );

      // Rebuilt from the store at start: the same answers.
      const fresh = await Matcher.open(store, { clock });
      for (const v of [
        'a.example',
        'a2.example',
        '203.0.113.9',
        'cead3f77f6cda6ec00f57d76c9a6879f',
        'http://e.example/x',
      ]) {
        assert.deepEqual(fresh.lookup([v]), m.lookup([v]), v);
      }
      assert.deepEqual(fresh.stats, m.stats);
      assert.deepEqual(
        await m.rebuild(),
        { read: 5, added: 4, replaced: 0, removed: 0 },
        'b is read revoked, filed nowhere',
      );
      assert.deepEqual(m.stats, fresh.stats);
    });

    it('records sightings in the local collection, then calls the exchange hook', async () => {
      const m = await Matcher.open(store, { clock });
      const g = indicator("[domain-name:value = 'g.example']");
      await store.ingest(coll, toRows([g]));
      await m.refresh();
      const seen: string[] = [];
      const stored = await recordSightings(m.lookup(['g.example', 'none.example']), {
        store,
        collection: 'local',
        clock,
        identityRef: 'identity--22222222-2222-4222-8222-222222222222',
        onSighting: (s, match) => {
          seen.push(`${s.id as string} ${match.id}`);
        },
      });
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.sighting_of_ref, g.id);
      assert.deepEqual(stored[0]!.where_sighted_refs, ['identity--22222222-2222-4222-8222-222222222222']);
      assert.deepEqual(seen, [`${stored[0]!.id as string} ${g.id}`]);
      const rows = await store.query({ collectionId: coll, types: ['sighting'], limit: 10 });
      assert.deepEqual(
        rows.map((r) => r.id),
        [stored[0]!.id],
      );
    });

    it('concurrent refreshes share one run and see every earlier write', async () => {
      const m = await Matcher.open(store, { clock });
      const f = indicator("[domain-name:value = 'f.example']");
      await store.ingest(coll, toRows([f]));
      const [r1, r2] = await Promise.all([m.refresh(), m.refresh()]);
      assert.equal(r1, r2);
      assert.deepEqual(
        m.lookup(['f.example'])[0]!.matches.map((x) => x.id),
        [f.id],
      );
    });
  });
}
