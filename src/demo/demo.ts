/**
 * `parley demo`: three nodes in one process, each with its own SQLite database under one directory
 * and its own HTTP server on 127.0.0.1 (ports base, base+1, base+2). The first run lays down the
 * scenario (scenario.ts) and records it in demo.json with the sign-in of each node's web UI; later
 * runs find demo.json and only serve. A directory left half-made by an interrupted first run is
 * started over.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_COLLECTION, initNode, type RunningServer, startServer } from '../app/index.js';
import { loadConfig, ParleyError } from '../core/index.js';
import { generatePassword, Principals } from '../http/auth/index.js';
import { type IngestSummary, ingest } from '../intel/index.js';
import { defaultValidator } from '../stix/index.js';
import { DemoClock } from './clock.js';
import { type DemoNode, runScenario, type Scenario, syncIntel } from './scenario.js';

export const DEMO_DIR = '.parley-demo';
export const DEMO_BASE_PORT = 8471;
export const DEMO_USER = 'admin';

export const DEMO_PARTIES = [
  { name: 'arcadia', party: 'Arcadia' },
  { name: 'borduria', party: 'Borduria' },
  { name: 'carpathia', party: 'Carpathia' },
] as const;

interface DemoRecord {
  basePort: number;
  created: string;
  scenario: Scenario;
  users: Record<string, { user: string; password: string }>;
}

export interface DemoOptions {
  dir?: string;
  basePort?: number;
  /** A STIX bundle (e.g. MITRE ATT&CK) ingested into Arcadia's collection and shared as its labels allow. */
  load?: string;
  /** Progress lines while the scenario is laid down. */
  log?: (line: string) => void;
}

export interface RunningDemo {
  dir: string;
  created: boolean;
  scenario: Scenario;
  nodes: (DemoNode & { server: RunningServer; user: string; password: string })[];
  loaded?: IngestSummary;
  close(): Promise<void>;
}

const RECORD = 'demo.json';

export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const dir = path.resolve(opts.dir ?? DEMO_DIR);
  const log = opts.log ?? (() => {});
  const recordFile = path.join(dir, RECORD);
  let record: DemoRecord | undefined = existsSync(recordFile)
    ? (JSON.parse(await readFile(recordFile, 'utf8')) as DemoRecord)
    : undefined;
  if (!record && existsSync(dir)) {
    log(`${dir} holds an unfinished demo: starting it over`);
    await rm(dir, { recursive: true, force: true });
  }
  // The peers know each other by URL: a demo made on some ports keeps them.
  const basePort = record?.basePort ?? opts.basePort ?? DEMO_BASE_PORT;
  if (record && opts.basePort !== undefined && opts.basePort !== record.basePort)
    log(`this demo was made on ports ${record.basePort}-${record.basePort + 2}; it keeps them`);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const clock = new DemoClock();
  const nodes: RunningDemo['nodes'] = [];
  const close = async () => {
    for (const n of nodes.reverse()) {
      await n.server.close();
      await n.node.close();
    }
  };
  try {
    for (const [i, p] of DEMO_PARTIES.entries()) {
      const data = path.join(dir, p.name);
      const port = basePort + i;
      const cfg = loadConfig(
        { dataDir: data, party: p.party, host: '127.0.0.1', port, logLevel: 'warn' },
        {},
      );
      const { node } = await initNode(cfg, { nodeId: p.name, remember: { party: p.party }, clock });
      let server: RunningServer;
      try {
        server = await startServer(node, { host: '127.0.0.1', port });
      } catch (e) {
        await node.close();
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new ParleyError(
            'demo.port_in_use',
            `port ${port} is in use: stop what holds it, or pick other ports with --base-port N (a new --dir too)`,
            400,
          );
        throw e;
      }
      nodes.push({
        name: p.name,
        party: p.party,
        node,
        url: server.url,
        server,
        user: DEMO_USER,
        password: '',
      });
    }

    let created = false;
    if (!record) {
      log('laying down the demo: peering, agreements, contacts, threat intel, hotline threads...');
      const scenario = await runScenario(nodes, clock);
      const users: DemoRecord['users'] = {};
      for (const n of nodes) {
        const password = generatePassword();
        await new Principals(n.node.database).addUser(DEMO_USER, 'admin', password);
        users[n.name] = { user: DEMO_USER, password };
      }
      record = { basePort, created: new Date().toISOString(), scenario, users };
      await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      created = true;
    }
    for (const n of nodes) n.password = record.users[n.name]?.password ?? '';

    let loaded: IngestSummary | undefined;
    if (opts.load) {
      const a = nodes[0]!;
      log(`ingesting ${opts.load} into ${a.party}'s collection...`);
      loaded = await ingest(
        { database: a.node.database, validator: defaultValidator() },
        createReadStream(opts.load),
        {
          collection: DEFAULT_COLLECTION,
        },
      );
      log(
        `stored ${loaded.stored}, already present ${loaded.present}, rejected ${loaded.rejected}; sharing...`,
      );
      await syncIntel(nodes);
    }
    return { dir, created, scenario: record.scenario, nodes, loaded, close };
  } catch (e) {
    await close();
    throw e;
  }
}
