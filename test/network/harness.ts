/**
 * A test network: nodes on 127.0.0.1, each with its own data directory and database (a SQLite file
 * or a fresh PostgreSQL database), serving the real HTTP server (startServer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initNode, type Node, type RunningServer, startServer } from '../../src/app/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/output.js';
import { type Clock, loadConfig } from '../../src/core/index.js';
import { partyFrom } from '../../src/pact/index.js';
import { createPgDatabase } from '../support/pg.js';

export interface TestNode {
  name: string;
  node: Node;
  server: RunningServer;
  url: string;
  data: string;
  fingerprint: string;
}

export interface Network {
  add(name: string, party?: string): Promise<TestNode>;
  close(): Promise<void>;
}

export function network(opts: { backend?: 'sqlite' | 'postgres'; clock?: Clock } = {}): Network {
  const root = mkdtempSync(path.join(tmpdir(), 'parley-net-'));
  const nodes: TestNode[] = [];
  const drops: (() => Promise<void>)[] = [];
  return {
    async add(name, party = `CERT ${name.toUpperCase()}`) {
      const data = path.join(root, name);
      const remember: Record<string, string> = { party };
      if (opts.backend === 'postgres') {
        const pg = await createPgDatabase('parley_net');
        drops.push(pg.drop);
        remember.db = pg.url;
      }
      const cfg = loadConfig({ dataDir: data, party, db: remember.db, logLevel: 'silent' }, {});
      const { node } = await initNode(cfg, { nodeId: name, remember, clock: opts.clock });
      const server = await startServer(node, { host: '127.0.0.1', port: 0 });
      const t = { name, node, server, url: server.url, data, fingerprint: node.fingerprint };
      nodes.push(t);
      return t;
    },
    async close() {
      for (const n of nodes) {
        await n.server.close();
        await n.node.close();
      }
      for (const d of drops) await d();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs the parley CLI in-process on a node's data directory. */
export async function cli(n: TestNode, ...args: string[]) {
  const io = memoryIo();
  const code = await main(['node', 'parley', ...args, '--data', n.data], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), lines: io.stdout };
}

/** Confirms `b` as a peer of `a` with the right fingerprint, programmatically. */
export async function peer(a: TestNode, b: TestNode): Promise<void> {
  const d = await a.node.peer.client.fetchDescriptor(b.url);
  await a.node.peer.peers.add(b.url, d, b.fingerprint, a.node.identity.nodeId);
}

/** Stops a node's HTTP server (and its workers); the node and its database stay open. */
export async function stopServer(n: TestNode): Promise<void> {
  const s = n.server;
  n.server = { ...s, close: async () => {} };
  await s.close();
}

/** Serves a stopped node again on the port it had, so its peers reach it at the same URL. */
export async function restartServer(n: TestNode): Promise<void> {
  n.server = await startServer(n.node, { host: '127.0.0.1', port: Number(new URL(n.url).port) });
}

/**
 * Peers every pair of nodes, and `first` proposes an agreement with the others, who all sign it:
 * in force on return. Programmatic (no CLI), so it works on a ManualClock.
 */
export async function agreementBetween(
  first: TestNode,
  others: TestNode[],
  title = 'Agreement',
): Promise<string> {
  const all = [first, ...others];
  for (const x of all)
    for (const y of all) if (x !== y && !(await x.node.peer.peers.get(y.name))) await peer(x, y);
  const parties = [];
  for (const o of others) parties.push(partyFrom((await first.node.peer.peers.get(o.name))!));
  const { id } = await first.node.peer.pacts.propose({ with: parties, terms: { title } });
  for (const o of others) await o.node.peer.pacts.sign(id);
  return id;
}

/** Row counts of every table an inbound envelope could write to. */
export async function counts(n: TestNode): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tables = [
    'peers',
    'peer_seen_envelopes',
    'pact_agreements',
    'pact_versions',
    'pact_signatures',
    'pact_events',
    'directory_pocs',
    'directory_exchanges',
    'ledger_entries',
  ] as const;
  for (const t of tables) {
    const r = await n.node.database.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
