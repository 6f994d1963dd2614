/** Builds the node's HTTP server from an open node and starts it listening. */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { hotlinePlugin } from '../http/api/hotline/index.js';
import { lookupPlugin } from '../http/api/lookup.js';
import { staticPlugin, webApiPlugin } from '../http/api/web/index.js';
import { buildHttpServer, type HttpPlugin } from '../http/index.js';
import { taxiiPlugins } from '../http/taxii/index.js';
import { verifyLog } from '../ledger/index.js';
import { DEFAULT_COLLECTION, type Node } from './node.js';

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8470 */
  url: string;
  close(): Promise<void>;
}

/** The browser app as `npm run build:web` leaves it (the same place from src/app and dist/app). */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

export function httpPlugins(node: Node, opts: { webRoot?: string } = {}): HttpPlugin[] {
  // /openapi.json first: it records the routes mounted after it.
  return [
    ...taxiiPlugins({
      database: node.database,
      store: node.stix,
      maxPageSize: node.config.taxiiMaxPageSize,
      clock: node.clock,
      // What a POST stores goes to the agreement partners now, not at the next poll.
      onStored: () => node.exchange.notify(),
    }),
    // The peer protocol (/peer/v1/): descriptor and envelopes.
    node.peer.plugin(),
    // Indicator lookup (/api/lookup); sightings go to the local collection.
    lookupPlugin({
      database: node.database,
      store: node.stix,
      clock: node.clock,
      sightings: { collection: DEFAULT_COLLECTION, onSighting: () => node.exchange.notify() },
    }),
    // The hotline API (/api/v1/hotline/): messages, threads, pings, and its event stream.
    hotlinePlugin({ database: node.database, hotline: node.hotline, clock: node.clock }),
    // The web UI's API (/api/v1/: session, dashboard, agreements, ...; docs/WEB-API.md) and the app at /.
    webApiPlugin({
      database: node.database,
      clock: node.clock,
      self: { id: node.identity.nodeId, party: node.config.party, fingerprint: node.fingerprint },
      pacts: node.peer.pacts,
      directory: node.peer.directory,
      peers: node.peer.peers,
      ledger: node.ledger,
      gossip: node.gossip,
      hotline: node.hotline,
      stix: node.stix,
      verifyLedger: () => verifyLog(node.database),
      compliance: node.compliance,
      consultations: node.consultations,
      defaultCollection: DEFAULT_COLLECTION,
      maxUploadBytes: node.config.maxContentLength,
    }),
    staticPlugin({ root: opts.webRoot ?? WEB_ROOT }),
  ];
}

export async function startServer(
  node: Node,
  opts: { host?: string; port?: number; webRoot?: string } = {},
): Promise<RunningServer> {
  const app = await buildHttpServer(
    {
      logLevel: node.config.logLevel === 'info' ? 'warn' : node.config.logLevel,
      bodyLimit: node.config.maxContentLength,
      health: async () => ({
        node: node.identity.nodeId,
        party: node.config.party,
        fingerprint: node.fingerprint,
      }),
    },
    httpPlugins(node, { webRoot: opts.webRoot }),
  );
  const host = opts.host ?? node.config.host;
  await app.listen({ host, port: opts.port ?? node.config.port });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  // Durable delivery runs while the node serves: what a command enqueued goes out from here too.
  node.outbox.start();
  // Threat-intel push: the poll finds what other processes ingested (the CLI, TAXII POSTs).
  node.exchange.start();
  // Hotline deadlines and scheduled ping tests.
  node.hotline.start();
  // Ledger gossip with every partner, regularly, so a forked log is seen without anyone asking.
  const gossipMs = node.config.gossipMinutes * 60_000;
  let gossiping: Promise<unknown> | undefined;
  const gossipTimer = gossipMs
    ? setInterval(() => {
        gossiping ??= node
          .gossipWithPartners()
          .catch(() => {})
          .finally(() => {
            gossiping = undefined;
          });
      }, gossipMs).unref()
    : undefined;
  return {
    app,
    url: `http://${shown}:${port}`,
    close: async () => {
      if (gossipTimer) clearInterval(gossipTimer);
      await gossiping;
      node.exchange.stop();
      await node.hotline.stop();
      await node.outbox.stop();
      await app.close();
    },
  };
}
