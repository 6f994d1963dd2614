import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../../test/support/backends.js';
import { ManualClock } from '../core/index.js';
import { type Database, openDatabase } from '../store/index.js';
import { retryDelay } from './backoff.js';
import { Outbox, type OutboxItem, type OutboxSender, type SendOutcome } from './outbox.js';

/** A sender at the seam: records what it is asked to send and answers from a script per peer. */
class ScriptedSender implements OutboxSender {
  sent: { peer: string; payload: unknown }[] = [];
  script = new Map<string, SendOutcome['ok'] | 'refuse' | 'down'>();
  async send(item: Pick<OutboxItem, 'peer' | 'type' | 'agreement' | 'payload'>): Promise<SendOutcome> {
    const mode = this.script.get(item.peer) ?? true;
    if (mode === 'down') return { ok: false, retry: true, code: 'peer.unreachable', message: 'down' };
    if (mode === 'refuse') return { ok: false, retry: false, code: 'envelope.malformed', message: 'no' };
    this.sent.push({ peer: item.peer, payload: item.payload });
    return {
      ok: true,
      envelopeId: `env-${this.sent.length}`,
      envelopeHash: 'ab'.repeat(32),
      answer: { receipt: 1 },
    };
  }
}

test('retryDelay: full jitter under an exponential step, capped', () => {
  const b = { baseMs: 1000, maxMs: 60_000 };
  assert.equal(
    retryDelay(1, b, () => 0.999),
    999,
  );
  assert.equal(
    retryDelay(3, b, () => 0.5),
    2000,
  );
  assert.equal(
    retryDelay(40, b, () => 0.999),
    59_940,
  );
  assert.equal(
    retryDelay(2, b, () => 0),
    1,
    'never zero',
  );
});

for (const backend of BACKENDS) {
  describe(`outbox on ${backend.name}`, () => {
    let database: Database;
    let drop: () => Promise<void>;
    const clock = new ManualClock();
    before(async () => {
      const f = await backend.fresh();
      drop = f.drop;
      database = await openDatabase(f.url);
      await database.migrate();
    });
    after(async () => {
      await database.close();
      await drop();
    });
    const fresh = async () => {
      await database.db.deleteFrom('outbox').execute();
      const sender = new ScriptedSender();
      const box = new Outbox({ database, clock, random: () => 0.5 }).useSender(sender);
      return { sender, box };
    };
    const put = (box: Outbox, items: Parameters<Outbox['enqueue']>[1]) =>
      database.transaction((tx) => box.enqueue(tx, items));
    const msg = (peer: string, n: number, lane = 't1') => ({
      peer,
      type: 'test.msg',
      agreement: null,
      payload: { n },
      lane,
      ref: `m${n}`,
    });

    test('an item enqueued in a transaction that rolls back is never sent', async () => {
      const { sender, box } = await fresh();
      await assert.rejects(
        database.transaction(async (tx) => {
          await box.enqueue(tx, [msg('b', 1)]);
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.equal((await box.pass()).attempted, 0);
      assert.equal(sender.sent.length, 0);
    });

    test('delivers every lane in order and settles each item with the answer, listeners in the same transaction', async () => {
      const { sender, box } = await fresh();
      const seen: string[] = [];
      box.onSettled('test.msg', async (tx, item) => {
        const row = await tx
          .selectFrom('outbox')
          .select('state')
          .where('id', '=', item.id)
          .executeTakeFirstOrThrow();
        seen.push(`${item.ref}:${row.state}`);
      });
      await put(box, [msg('b', 1), msg('c', 2), msg('b', 3), msg('b', 4, 't2')]);
      const r = await box.pass();
      assert.equal(r.delivered, 4);
      assert.deepEqual(
        sender.sent
          .filter((s) => s.peer === 'b')
          .map((s) => (s.payload as { n: number }).n)
          .filter((n) => n !== 4),
        [1, 3],
      );
      assert.deepEqual(seen.sort(), ['m1:delivered', 'm2:delivered', 'm3:delivered', 'm4:delivered']);
      const [item] = await box.byRef('m1');
      assert.equal(item?.state, 'delivered');
      assert.equal(item?.envelopeId, 'env-1');
      assert.deepEqual(item?.answer, { receipt: 1 });
      assert.equal(item?.attempts, 1);
    });

    test('an unreachable peer is retried after a backoff, its lane waits, other peers go on', async () => {
      const { sender, box } = await fresh();
      sender.script.set('b', 'down');
      await put(box, [msg('b', 1), msg('b', 2), msg('c', 3)]);
      let r = await box.pass();
      assert.deepEqual([r.delivered, r.retrying], [1, 1]);
      const [first] = await box.byRef('m1');
      assert.equal(first?.state, 'pending');
      assert.equal(first?.attempts, 1);
      assert.equal(first?.nextAttemptAt, clock.now() + 500, 'half of the 1 s first step (random 0.5)');
      assert.match(first?.lastError ?? '', /peer\.unreachable/);
      // Not due yet: nothing is attempted.
      assert.equal((await box.pass()).attempted, 0);
      clock.advance(500);
      r = await box.pass();
      assert.equal(r.retrying, 1, 'still down');
      assert.equal((await box.byRef('m1'))[0]?.nextAttemptAt, clock.now() + 1000, 'the step doubled');
      sender.script.set('b', true);
      clock.advance(1000);
      r = await box.pass();
      assert.equal(r.delivered, 2, 'the head, then the rest of its lane in the same pass');
      assert.deepEqual(
        sender.sent.filter((s) => s.peer === 'b').map((s) => (s.payload as { n: number }).n),
        [1, 2],
      );
      assert.equal((await box.byRef('m1'))[0]?.attempts, 3);
    });

    test('a refusal ends the item as refused and the lane goes on', async () => {
      const { sender, box } = await fresh();
      sender.script.set('b', 'refuse');
      await put(box, [msg('b', 1)]);
      sender.script.set('b', 'refuse');
      assert.equal((await box.pass()).refused, 1);
      sender.script.set('b', true);
      await put(box, [msg('b', 2)]);
      assert.equal((await box.pass()).delivered, 1);
      const [refused] = await box.byRef('m1');
      assert.equal(refused?.state, 'refused');
      assert.match(refused?.lastError ?? '', /envelope\.malformed/);
      assert.equal((await box.list({ state: 'pending' })).length, 0);
    });

    test('two workers on one database send each item exactly once', async () => {
      const { sender, box } = await fresh();
      const other = new Outbox({ database, clock }).useSender(sender);
      await put(
        box,
        Array.from({ length: 20 }, (_, i) => msg(`p${i % 5}`, i, `lane${i}`)),
      );
      await Promise.all([box.pass(), other.pass(), box.pass(), other.pass()]);
      assert.equal(sender.sent.length, 20);
      assert.equal(new Set(sender.sent.map((s) => (s.payload as { n: number }).n)).size, 20);
    });

    test('a preparer builds the payload at send time, or skips the item', async () => {
      const { sender, box } = await fresh();
      box.prepare('test.msg', async (item) =>
        (item.payload as { n: number }).n === 2 ? { nothing: true } : { payload: { built: item.payload } },
      );
      await put(box, [msg('b', 1), msg('b', 2)]);
      const r = await box.pass();
      assert.deepEqual([r.delivered, r.skipped], [1, 1]);
      assert.deepEqual(sender.sent[0]?.payload, { built: { n: 1 } });
      assert.equal((await box.byRef('m2'))[0]?.state, 'skipped');
    });

    test('a pipelined type: the next item is prepared while the one before is sent; settled in order; a failure stops the lane', async () => {
      const { box } = await fresh();
      const log: string[] = [];
      const gates = new Map<number, () => void>();
      const down = new Set<number>();
      box.useSender({
        async send(item) {
          const n = (item.payload as { n: number }).n;
          log.push(`send ${n}`);
          await new Promise<void>((r) => gates.set(n, r));
          if (down.has(n)) return { ok: false, retry: true, code: 'peer.unreachable', message: 'down' };
          return { ok: true, envelopeId: `env-${n}`, envelopeHash: 'ab'.repeat(32), answer: null };
        },
      });
      box.pipeline('test.msg', 2);
      box.prepare('test.msg', async (item) => {
        log.push(`prepare ${(item.payload as { n: number }).n}`);
        return { payload: item.payload };
      });
      box.onSettled('test.msg', async (_tx, item) => {
        log.push(`settle ${(item.payload as { n: number }).n}`);
      });
      assert.throws(() => box.pipeline('test.msg', 0), { code: 'outbox.bad_depth' });
      await put(box, [msg('b', 1), msg('b', 2), msg('b', 3), msg('b', 4), msg('b', 5)]);
      down.add(3);
      const pass = box.pass();
      // Answers come back out of order: 2 before 1; 1 is settled first all the same.
      const open = async (n: number) => {
        while (!gates.has(n)) await new Promise((r) => setImmediate(r));
        gates.get(n)!();
      };
      await open(2);
      await open(1);
      await open(3);
      // 4 was sent while 3 travelled; its answer is settled after 3's failure is recorded.
      await open(4);
      const r = await pass;
      assert.deepEqual(log, [
        'prepare 1',
        'send 1',
        'prepare 2',
        'send 2',
        'settle 1',
        'prepare 3',
        'send 3',
        'settle 2',
        'prepare 4',
        'send 4',
        'settle 4',
      ]);
      assert.deepEqual([r.delivered, r.retrying], [3, 1]);
      assert.equal((await box.byRef('m3'))[0]?.state, 'pending');
      assert.equal((await box.byRef('m5'))[0]?.attempts, 0, 'the lane stops at the failed item');
    });

    test('bad input is refused before anything is written', async () => {
      const { box } = await fresh();
      await assert.rejects(put(box, [{ ...msg('b', 1), lane: 'a lane\nwith a newline' }]), {
        code: 'outbox.bad_lane',
      });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await assert.rejects(put(box, [{ ...msg('b', 1), payload: cyclic }]), { code: 'outbox.bad_payload' });
      assert.equal((await box.list()).length, 0);
    });

    test('retryNow makes waiting items due at once', async () => {
      const { sender, box } = await fresh();
      sender.script.set('b', 'down');
      await put(box, [msg('b', 1)]);
      await box.pass();
      sender.script.set('b', true);
      assert.equal(await box.retryNow('b'), 1);
      assert.equal((await box.pass()).delivered, 1);
    });
  });
}
