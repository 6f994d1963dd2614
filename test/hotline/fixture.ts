/**
 * Two or three hotline nodes in one process on a chosen storage back end: real peer services,
 * outboxes and inboxes, whose clients reach each other through an in-process fetch (no sockets),
 * on one ManualClock. `down` makes a node unreachable.
 */
import { ManualClock } from '../../src/core/index.js';
import { generateIdentity, toB64u } from '../../src/crypto/index.js';
import { Hotline } from '../../src/hotline/index.js';
import { createPeerServices, outboxSender, type PeerServices } from '../../src/http/peer/index.js';
import { Outbox } from '../../src/outbox/index.js';
import type { AgreementTerms } from '../../src/pact/index.js';
import { type Database, openDatabase } from '../../src/store/index.js';
import type { Backend } from '../support/backends.js';

export interface HNode {
  name: string;
  database: Database;
  peer: PeerServices;
  outbox: Outbox;
  hotline: Hotline;
}

export async function hotlineNodes(backend: Backend, names: string[], clock = new ManualClock()) {
  const nodes = new Map<string, HNode>();
  const down = new Set<string>();
  const drops: (() => Promise<void>)[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const target = nodes.get(new URL(String(input)).hostname);
    if (!target || down.has(target.name)) throw new TypeError('fetch failed');
    try {
      const ok = await target.peer.inbox.receive(new Uint8Array(init?.body as Uint8Array));
      return new Response(JSON.stringify(ok), { status: 200 });
    } catch (e) {
      const err = e as { code?: string; message: string; status?: number };
      return new Response(JSON.stringify({ code: err.code, message: err.message }), {
        status: err.status ?? 500,
      });
    }
  }) as typeof fetch;
  const ids = new Map(names.map((n) => [n, generateIdentity({ nodeId: n })]));
  for (const name of names) {
    const db = await backend.fresh();
    drops.push(db.drop);
    const database = await openDatabase(db.url);
    await database.migrate();
    const identity = ids.get(name)!;
    const peer = createPeerServices({ database, identity, party: `Party ${name}`, clock, fetch: fetchFn });
    const outbox = new Outbox({ database, clock, random: () => 0.5 }).useSender(outboxSender(peer.messenger));
    const hotline = new Hotline({
      database,
      identity,
      clock,
      outbox,
      pacts: peer.pacts,
      directory: peer.directory,
    });
    hotline.attach(peer.inbox);
    for (const [other, oid] of ids) {
      if (other === name) continue;
      await database.db
        .insertInto('peers')
        .values({
          node_id: other,
          party: `Party ${other}`,
          url: `http://${other}`,
          signing_key: toB64u(oid.signing.publicKey),
          agreement_key: toB64u(oid.agreement.publicKey),
          fingerprint: '-',
          descriptor: '{}',
          status: 'confirmed',
          added_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
    }
    nodes.set(name, { name, database, peer, outbox, hotline });
  }
  const party = (n: string) => ({
    node: n,
    party: `Party ${n}`,
    signing_key: toB64u(ids.get(n)!.signing.publicKey),
    agreement_key: toB64u(ids.get(n)!.agreement.publicKey),
  });
  return {
    clock,
    node: (n: string) => nodes.get(n)!,
    down,
    /** An agreement between all the nodes, in force on return. */
    async agreement(terms: AgreementTerms = {}): Promise<string> {
      const [first, ...rest] = names;
      const { id } = await nodes.get(first!)!.peer.pacts.propose({ with: rest.map(party), terms });
      for (const r of rest) await nodes.get(r)!.peer.pacts.sign(id);
      return id;
    },
    /** Delivers everything due, on every node. */
    async flush() {
      for (let i = 0; i < 2; i++) for (const n of nodes.values()) await n.outbox.pass();
    },
    async close() {
      for (const n of nodes.values()) {
        await n.hotline.stop();
        await n.outbox.stop();
        await n.database.close();
      }
      for (const d of drops) await d();
    },
  };
}
