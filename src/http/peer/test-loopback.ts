/**
 * For tests: several nodes in one process, each with its own SQLite file and peer services, whose
 * clients reach each other's real inbox through an in-process fetch (no sockets), on a shared clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../core/index.js';
import { generateIdentity, type NodeIdentity, toB64u } from '../../crypto/index.js';
import { type Database, openDatabase } from '../../store/index.js';
import { createPeerServices, type PeerServices } from './services.js';

export interface LoopNode {
  name: string;
  identity: NodeIdentity;
  database: Database;
  services: PeerServices;
}

export async function loopback(
  names: string[],
  clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z')),
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-loop-'));
  const nodes = new Map<string, LoopNode>();
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const target = nodes.get(url.hostname);
    if (!target) throw new TypeError('fetch failed');
    try {
      const body = init?.body as Uint8Array;
      const ok = await target.services.inbox.receive(new Uint8Array(body));
      return new Response(JSON.stringify(ok), { status: 200 });
    } catch (e) {
      const err = e as { code?: string; message: string; status?: number };
      return new Response(JSON.stringify({ code: err.code, message: err.message }), {
        status: err.status ?? 500,
      });
    }
  }) as typeof fetch;
  for (const name of names) {
    const database = await openDatabase(`sqlite:${path.join(dir, `${name}.db`)}`);
    await database.migrate();
    const identity = generateIdentity({ nodeId: name });
    const services = createPeerServices({
      database,
      identity,
      party: `Party ${name}`,
      clock,
      fetch: fetchFn,
    });
    nodes.set(name, { name, identity, database, services });
  }
  // Everyone peers with everyone (the fingerprint check itself is tested over HTTP).
  for (const a of nodes.values())
    for (const b of nodes.values()) {
      if (a === b) continue;
      await a.database.db
        .insertInto('peers')
        .values({
          node_id: b.name,
          party: `Party ${b.name}`,
          url: `http://${b.name}`,
          signing_key: toB64u(b.identity.signing.publicKey),
          agreement_key: toB64u(b.identity.agreement.publicKey),
          fingerprint: '-',
          descriptor: '{}',
          status: 'confirmed',
          added_at: '2026-03-01T00:00:00.000Z',
        })
        .execute();
    }
  const party = (n: string) => {
    const x = nodes.get(n)!;
    return {
      node: n,
      party: `Party ${n}`,
      signing_key: toB64u(x.identity.signing.publicKey),
      agreement_key: toB64u(x.identity.agreement.publicKey),
    };
  };
  return {
    clock,
    node: (n: string) => nodes.get(n)!,
    party,
    async close() {
      for (const n of nodes.values()) await n.database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
