/**
 * The hotline API on two real nodes on 127.0.0.1 sharing a ManualClock: A sends through its API,
 * B's event stream announces the message, B acknowledges through its API, A's thread shows it
 * acknowledged within the deadline; a missed deadline reaches A's stream after the clock moves
 * (no sleeping); roles refused with 401/403; bad bodies refused with 400 naming the field; the
 * heartbeat. Run by hotline-api.sqlite.test.ts and hotline-api.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/index.js';
import { hotlinePlugin } from '../../src/http/api/hotline/index.js';
import { Principals } from '../../src/http/auth/index.js';
import { buildHttpServer } from '../../src/http/index.js';
import { agreementBetween, type Network, network, type TestNode } from './harness.js';

const HOUR = 3_600_000;

interface SseEvent {
  id?: string;
  event?: string;
  data?: unknown;
  comment?: string;
}

/** A small text/event-stream reader over fetch. */
async function openStream(url: string, token?: string) {
  const ac = new AbortController();
  const res = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: ac.signal,
  });
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  const pump = (async () => {
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const e: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) e.comment = line.slice(1).trim();
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
          }
          events.push(e);
          for (const w of waiters.splice(0)) w();
          i = buf.indexOf('\n\n');
        }
      }
    } catch {}
  })();
  /** The first event (from the start of the stream) that `match` accepts; fails after 5 s. */
  const next = async (match: (e: SseEvent) => boolean): Promise<SseEvent> => {
    const until = Date.now() + 5_000;
    for (;;) {
      const hit = events.find(match);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no such event; got ${JSON.stringify(events)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200).unref();
      });
    }
  };
  return {
    res,
    events,
    next,
    close: async () => {
      ac.abort();
      await pump;
    },
  };
}

export function hotlineApiSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`hotline API (${backend})`, () => {
    const clock = new ManualClock(Date.now());
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let agr = '';
    const tok: Record<string, string> = {};

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      agr = await agreementBetween(a, [b], 'Hotline');
      const poc = (id: string) => ({
        id,
        role: 'technical' as const,
        kind: 'desk' as const,
        name: id,
        channels: ['parley:hotline'],
        languages: ['en'],
        timezone: 'UTC',
        hours: '24/7',
      });
      await a.node.peer.directory.add(poc('a-duty'));
      await b.node.peer.directory.add(poc('desk-1'));
      for (const n of [a, b]) await n.node.peer.directory.publish();
      for (const [n, role] of [
        [a, 'officer'],
        [b, 'officer'],
        [a, 'hotline-reader'],
        [a, 'reader'],
        [a, 'directory-manager'],
      ] as const)
        tok[`${n.name}:${role}`] = (await new Principals(n.node.database).createToken(role)).token;
    });
    after(() => net.close());

    const api = async (n: TestNode, method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${n.url}/api/v1/hotline${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions.
      return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
    };
    const flush = async () => {
      for (let i = 0; i < 2; i++) for (const n of [a, b]) await n.node.outbox.pass();
    };
    const rfa = {
      kind: 'rfa',
      channel: 'technical',
      urgency: 'high',
      subject: 'Take down a C2 server',
      description: 'It sits at 198.51.100.9.',
      from: 'a-duty',
    };

    test("A sends through its API; B's stream announces it; B acks through its API; A's thread shows it in time", async () => {
      const bStream = await openStream(`${b.url}/api/v1/hotline/events`, tok['cert-b:officer']);
      try {
        assert.equal(bStream.res.status, 200);
        assert.match(bStream.res.headers.get('content-type') ?? '', /^text\/event-stream/);
        const sent = await api(a, 'POST', '/messages', tok['cert-a:officer'], { agreement: agr, ...rfa });
        assert.equal(sent.status, 201, JSON.stringify(sent.json));
        const id = sent.json.id as string;
        assert.equal(sent.json.recipients[0].state, 'queued');
        await flush();
        const ev = await bStream.next((e) => e.event === 'message');
        assert.deepEqual(ev.data, { id, thread: id, kind: 'rfa', from: 'cert-a', exercise: false });
        assert.match(ev.id ?? '', /^\d+$/);

        const inbox = await api(b, 'GET', '/inbox', tok['cert-b:officer']);
        assert.deepEqual(
          inbox.json.messages.map((m: { id: string }) => m.id),
          [id],
        );
        const ru = await api(b, 'GET', `/messages/${id}?lang=ru`, tok['cert-b:officer']);
        assert.match(ru.json.rendered, /^Запрос о содействии|Срочность: Высокая/m);

        clock.advance(30 * 60_000);
        const ack = await api(b, 'POST', `/messages/${id}/ack`, tok['cert-b:officer'], { poc: 'desk-1' });
        assert.equal(ack.status, 200, JSON.stringify(ack.json));
        assert.equal(ack.json.recipients[0].state, 'acknowledged');
        const st = await bStream.next((e) => e.event === 'state');
        assert.equal((st.data as { state: string }).state, 'acknowledged');
        await flush();
        const th = await api(a, 'GET', `/threads/${id}`, tok['cert-a:officer']);
        assert.equal(th.status, 200);
        const r = th.json.messages[0].recipients[0];
        assert.equal(r.state, 'acknowledged');
        assert.equal(r.acknowledgement, 'within deadline');
        assert.equal(r.ackPoc, 'desk-1');

        const resp = await api(b, 'POST', `/messages/${id}/respond`, tok['cert-b:officer'], {
          description: 'Done.',
        });
        assert.equal(resp.status, 201, JSON.stringify(resp.json));
        assert.equal(resp.json.subject, 'Re: Take down a C2 server');
        const closed = await api(a, 'POST', `/threads/${id}/close`, tok['cert-a:officer']);
        assert.equal(closed.status, 201, JSON.stringify(closed.json));
        assert.equal(closed.json.kind, 'closure');
      } finally {
        await bStream.close();
      }
    });

    test("a missed deadline: A's stream gets 'deadline', 'escalation' and 'alert' once the clock has moved", async () => {
      const aStream = await openStream(`${a.url}/api/v1/hotline/events`, tok['cert-a:hotline-reader']);
      try {
        const sent = await api(a, 'POST', '/messages', tok['cert-a:officer'], { agreement: agr, ...rfa });
        assert.equal(sent.status, 201);
        await flush();
        const early = await api(a, 'POST', '/deadlines/check', tok['cert-a:officer']);
        assert.deepEqual(early.json.escalations, []);
        clock.advance(4 * HOUR + 1);
        const late = await api(a, 'POST', '/deadlines/check', tok['cert-a:officer']);
        assert.equal(late.json.escalations.length, 1);
        const d = await aStream.next((e) => e.event === 'deadline');
        assert.deepEqual(
          { message: (d.data as { message: string }).message, which: (d.data as { which: string }).which },
          { message: sent.json.id, which: 'acknowledge' },
        );
        const esc = await aStream.next((e) => e.event === 'escalation');
        assert.equal((esc.data as { to: string }).to, 'formal-inquiry');
        await aStream.next(
          (e) => e.event === 'alert' && (e.data as { kind: string }).kind === 'duty-officer',
        );
        const alerts = await api(a, 'GET', '/alerts?direction=local', tok['cert-a:hotline-reader']);
        assert.ok(alerts.json.alerts.some((x: { message: string }) => x.message === sent.json.id));
      } finally {
        await aStream.close();
      }
    });

    test('roles: 401 without credentials, 403 for a role that may not', async () => {
      const none = await api(a, 'GET', '/inbox');
      assert.equal(none.status, 401);
      assert.equal(none.json.code, 'auth.unauthorized');
      assert.match(none.headers.get('www-authenticate') ?? '', /Bearer realm="parley"/);
      assert.equal((await api(a, 'GET', '/inbox', 'ptk_wrong')).status, 401);
      const stream = await fetch(`${a.url}/api/v1/hotline/events`);
      assert.equal(stream.status, 401);
      await stream.body?.cancel();
      // The TAXII reader role is for threat-intel platforms: no hotline traffic for it.
      const reader = await api(a, 'GET', '/inbox', tok['cert-a:reader']);
      assert.equal(reader.status, 403);
      assert.equal(reader.json.code, 'auth.forbidden');
      assert.match(reader.json.message, /role "reader" may not read hotline traffic/);
      assert.equal((await api(a, 'GET', '/sent', tok['cert-a:hotline-reader'])).status, 200);
      const readerSends = await api(a, 'POST', '/messages', tok['cert-a:hotline-reader'], {
        agreement: agr,
        ...rfa,
      });
      assert.equal(readerSends.status, 403);
      assert.equal((await api(a, 'POST', '/pings/run', tok['cert-a:officer'], {})).status, 403);
      assert.equal((await api(a, 'GET', '/inbox', tok['cert-a:directory-manager'])).status, 403);
      const sched = await api(a, 'POST', '/pings/schedule', tok['cert-a:directory-manager'], { every: 30 });
      assert.equal(sched.status, 200, JSON.stringify(sched.json));
      assert.equal(sched.json.schedule.everyDays, 30);
      const run = await api(a, 'POST', '/pings/run', tok['cert-a:directory-manager'], {});
      assert.equal(run.status, 201, JSON.stringify(run.json));
      const results = await api(
        a,
        'GET',
        `/pings/results?run=${run.json.run}`,
        tok['cert-a:directory-manager'],
      );
      assert.equal(results.json.pending, 1);
    });

    test('bad bodies: 400 with the ParleyError naming the field', async () => {
      const post = (body: unknown) => api(a, 'POST', '/messages', tok['cert-a:officer'], body);
      const cases: [unknown, string, RegExp][] = [
        [
          { agreement: agr, ...rfa, urgency: 'urgent' },
          'urgency',
          /urgency must be one of "critical", "high"/,
        ],
        [{ agreement: agr, ...rfa, colour: 'red' }, 'colour', /colour is not a field/],
        [{ agreement: agr, subject: 'x' }, 'kind', /kind is missing/],
        [{ agreement: agr, ...rfa, kind: 'ping' }, 'kind', /kind must be one of/],
        [
          { agreement: agr, ...rfa, critical_infrastructure: 'yes' },
          'critical_infrastructure',
          /must be boolean/,
        ],
        [{ agreement: agr, ...rfa, affected_sectors: ['Energy!'] }, 'affected_sectors', /affected_sectors/],
        [[1, 2], 'body', /body must be a JSON object/],
        // Past the schema, the hotline's own rules: the kind needs a category.
        [
          { agreement: agr, ...rfa, kind: 'inquiry', channel: 'formal-inquiry' },
          'category',
          /category is required/,
        ],
      ];
      for (const [body, field, message] of cases) {
        const r = await post(body);
        assert.equal(r.status, 400, JSON.stringify(r.json));
        assert.equal(r.json.details?.field, field, JSON.stringify(r.json));
        assert.match(r.json.message, message);
        assert.match(r.json.code, /^hotline\./);
      }
      const badJson = await post('{"agreement": ');
      assert.equal(badJson.status, 400);
      const ack = await api(a, 'POST', '/messages/msg--x/ack', tok['cert-a:officer'], {});
      assert.deepEqual([ack.status, ack.json.details?.field], [400, 'poc']);
      const missing = await api(
        a,
        'GET',
        '/messages/msg--00000000-0000-4000-8000-000000000000',
        tok['cert-a:officer'],
      );
      assert.deepEqual([missing.status, missing.json.code], [404, 'hotline.unknown_message']);
      const q = await api(a, 'GET', '/inbox?limit=0', tok['cert-a:officer']);
      assert.deepEqual([q.status, q.json.details?.field], [400, 'limit']);
    });

    test('/openapi.json lists the hotline routes with the message schema as the send body', async () => {
      const doc = (await (await fetch(`${a.url}/openapi.json`)).json()) as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>
        >;
      };
      const send = doc.paths['/api/v1/hotline/messages']?.post;
      assert.ok(send, Object.keys(doc.paths).join(' '));
      const schema = Object.values(send.requestBody!.content)[0]!.schema;
      assert.ok('urgency' in schema.properties && 'affected_sectors' in schema.properties);
      assert.ok(doc.paths['/api/v1/hotline/threads/{id}']?.get);
      assert.ok(doc.paths['/api/v1/hotline/events']?.get);
    });

    test('the stream sends a heartbeat comment and ends when the server closes', async () => {
      const app = await buildHttpServer({ health: async () => ({}) }, [
        hotlinePlugin({ database: a.node.database, hotline: a.node.hotline, clock, heartbeatMs: 20 }),
      ]);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address() as { port: number };
      const s = await openStream(
        `http://127.0.0.1:${addr.port}/api/v1/hotline/events`,
        tok['cert-a:officer'],
      );
      await s.next((e) => e.comment === 'heartbeat');
      await app.close();
      await s.close();
    });
  });
}
