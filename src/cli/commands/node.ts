/** `parley init`, `parley whoami`, `parley serve` and `parley start`: making and running a node. */
import type { Command } from '@commander-js/extra-typings';
import { initNode, isInitialised, openNode, startServer } from '../../app/index.js';
import { loadConfig } from '../../core/index.js';
import { signDescriptor } from '../../crypto/index.js';
import { warmUpIngestWorker } from '../../intel/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

const portOpt = (v: string) => v;

export function registerNode(program: Command, io: Io): void {
  nodeOptions(program.command('init'))
    .description('create a node: its data directory, keys and database')
    .option('--party <name>', 'the party this node speaks for (e.g. "CERT of Arcadia")')
    .option('--node-id <id>', 'a readable node id (default: derived from the signing key)')
    .action(async (o) => {
      const cfg = loadConfig({ dataDir: o.data, db: o.db, party: o.party });
      const remember: Record<string, string> = {};
      if (o.db) remember.db = o.db;
      if (o.party) remember.party = o.party;
      const existed = isInitialised(cfg.dataDir);
      const { node } = await initNode(cfg, { nodeId: o.nodeId, remember });
      try {
        io.out(
          existed ? `node already initialised in ${cfg.dataDir}` : `initialised a node in ${cfg.dataDir}`,
        );
        io.out(`node id      ${node.identity.nodeId}`);
        io.out(`party        ${cfg.party}`);
        io.out(`database     ${node.database.dialect}`);
        io.out(`fingerprint  ${node.fingerprint}`);
      } finally {
        await node.close();
      }
    });

  nodeOptions(program.command('whoami'))
    .description("print this node's signed descriptor, or only its fingerprint")
    .option('--fingerprint', 'print only the fingerprint, on one line')
    .action(async (o) => {
      const cfg = loadConfig({ dataDir: o.data, db: o.db });
      const node = await openNode(cfg);
      try {
        if (o.fingerprint) return io.out(node.fingerprint);
        const endpoint = `http://${cfg.host}:${cfg.port}`;
        const d = signDescriptor(node.identity, { party: cfg.party, endpoints: [endpoint] });
        io.out(JSON.stringify({ ...d, fingerprint: node.fingerprint }, null, 2));
      } finally {
        await node.close();
      }
    });

  const serve = (name: string, description: string, initFirst: boolean) =>
    nodeOptions(program.command(name))
      .description(description)
      .option('--host <host>', 'address to bind (env PARLEY_HOST, default 127.0.0.1)')
      .option('--port <port>', 'port to listen on (env PARLEY_PORT, default 8470)', portOpt)
      .action(async (o) => {
        const cfg = loadConfig({ dataDir: o.data, db: o.db, host: o.host, port: o.port });
        const node = initFirst ? (await initNode(cfg)).node : await openNode(cfg);
        const server = await startServer(node);
        // In the background, on the worker's own core: the first feed or file ingested after a
        // start then runs at the speed of the next ones. A failure only leaves it slower.
        void warmUpIngestWorker().catch(() => {});
        io.out(`parley node ${node.identity.nodeId} (${cfg.party}) listening on ${server.url}`);
        io.out(`data ${cfg.dataDir}, database ${node.database.dialect}, fingerprint ${node.fingerprint}`);
        io.out(`health: ${server.url}/healthz`);
        io.out(
          `TAXII 2.1: ${server.url}/taxii2/ (a client's token: parley token create --role reader --data ${cfg.dataDir})`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
        await node.close();
      });

  serve('serve', 'run this node: the HTTP server (TAXII, peer protocol, API)', false);
  serve('start', 'create the node if missing (data directory, keys, database), then serve it', true);
}
