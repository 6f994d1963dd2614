/**
 * The fold on SQLite and PostgreSQL: entries stored in any order (an update before its measure, the
 * whole log before its schedule) give the same tables as in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../../test/support/backends.js';
import { generateKeyPair } from '../crypto/index.js';
import { type Database, openDatabase } from '../store/index.js';
import { newId, signEntry } from './entry.js';
import { readConsultation } from './reads.js';
import type { BodyOf, ConsultEntry, EntryKind, UnsignedEntry } from './types.js';
import { storeEntry } from './write.js';

const key = generateKeyPair('ed25519');
const agreement = `agr-${'cd'.repeat(32)}`;
const NOW = Date.parse('2026-05-01T00:00:00.000Z');

function log(consultation: string): ConsultEntry[] {
  const measure = newId('jm');
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  const e = <K extends EntryKind>(kind: K, body: BodyOf[K], by = 'cert-a') => {
    t += 1000;
    return signEntry(key, {
      type: 'parley.consult.entry',
      v: 1,
      id: newId('ce'),
      consultation,
      agreement,
      kind,
      by,
      at: new Date(t).toISOString(),
      body,
    } as UnsignedEntry<K>) as ConsultEntry;
  };
  return [
    e('schedule', { title: 'Consultation', date: '2026-03-10', agenda: ['One'], participants: [] }),
    e('minutes', { text: 'v1', previous: null }),
    e('measure', { measure, title: 'Exercise', owner: 'cert-b', due: '2026-04-01' }, 'cert-b'),
    e('minutes', { text: 'v2', previous: null }, 'cert-b'),
    e('measure-update', { measure, state: 'done', note: 'held' }, 'cert-c'),
    e('measure-update', { measure, state: null, note: 'report filed' }),
  ];
}

for (const backend of BACKENDS) {
  describe(`consult fold (${backend.name})`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    before(async () => {
      const f = await backend.fresh();
      drop = f.drop;
      db = await openDatabase(f.url);
      await db.migrate();
    });
    after(async () => {
      await db.close();
      await drop();
    });

    const view = async (id: string) => {
      const row = await db.db
        .selectFrom('consult_consultations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? readConsultation(db.db, row, NOW) : undefined;
    };
    const strip = (v: Awaited<ReturnType<typeof view>>) =>
      JSON.parse(JSON.stringify(v).replaceAll(/cons-[0-9a-f-]{36}/g, 'C'));

    test('in order, in reverse, and with a repeated entry: the same result', async () => {
      const inOrder = newId('cons');
      for (const e of log(inOrder)) await db.transaction((tx) => storeEntry(tx, e, null));
      const a = await view(inOrder);
      assert.equal(a?.measures[0]?.state, 'done');
      assert.equal(a?.measures[0]?.updates.length, 2);
      assert.deepEqual(
        a?.minutes.map((m) => [m.version, m.text]),
        [
          [1, 'v1'],
          [2, 'v2'],
        ],
      );

      const reversed = newId('cons');
      const entries = log(reversed);
      for (const e of [...entries].reverse().slice(0, -1))
        await db.transaction((tx) => storeEntry(tx, e, null));
      assert.equal(await view(reversed), undefined, 'nothing to show before the schedule arrives');
      await db.transaction((tx) => storeEntry(tx, entries[0]!, null));
      const b = await view(reversed);
      // Same shape (ids and signatures differ: fresh entries).
      const shape = (v: typeof b) => ({
        title: v?.title,
        minutes: v?.minutes.map((m) => [m.version, m.text, m.signedBy.node]),
        measures: v?.measures.map((m) => [
          m.owner,
          m.state,
          m.overdue,
          m.updatedBy,
          m.updates.map((u) => [u.state, u.note, u.signedBy.node]),
        ]),
      });
      assert.deepEqual(shape(b), shape(a));
      await assert.rejects(db.transaction((tx) => storeEntry(tx, entries[2]!, null)));
      assert.deepEqual(strip(await view(reversed)), strip(b));
    });

    test('an open measure is overdue after its due day only', async () => {
      const id = newId('cons');
      const [schedule, , measure] = log(id);
      for (const e of [schedule!, measure!]) await db.transaction((tx) => storeEntry(tx, e, null));
      const row = (await db.db
        .selectFrom('consult_consultations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst())!;
      const at = async (iso: string) =>
        (await readConsultation(db.db, row, Date.parse(iso))).measures[0]!.overdue;
      assert.equal(await at('2026-04-01T23:59:59.999Z'), false);
      assert.equal(await at('2026-04-02T00:00:00.000Z'), true);
    });
  });
}
