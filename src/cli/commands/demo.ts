/**
 * `parley demo`: three nodes of fictional states on 127.0.0.1 (what `npm start` runs); prints each
 * node's web UI address and sign-in, and serves until Ctrl-C. `parley serve` runs one real node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { DEMO_BASE_PORT, DEMO_DIR, startDemo } from '../../demo/index.js';
import type { Io } from '../output.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65533)
    throw new InvalidArgumentError(`expected a port 1-65533, got "${v}"`);
  return n;
}

/** Builds the web app if it is missing and this checkout knows how (`npm run build:web`). */
function ensureWebApp(io: Io): void {
  if (existsSync(path.join(REPO, 'dist', 'web', 'index.html'))) return;
  const pkgFile = path.join(REPO, 'package.json');
  const scripts = existsSync(pkgFile)
    ? ((JSON.parse(readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {})
    : {};
  if (!scripts['build:web']) {
    io.err('the web app is not built and this checkout has no build:web script; the APIs still run');
    return;
  }
  io.err('building the web app (npm run build:web)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build:web'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0)
    io.err('building the web app failed; the nodes run anyway (the page at / says how to build it)');
}

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'run a demo network: three nodes on 127.0.0.1 with agreements, contacts, threat intel and hotline threads',
    )
    .option('--dir <dir>', 'where the three nodes keep their data (SQLite)', DEMO_DIR)
    .option('--base-port <n>', 'ports n, n+1, n+2', port, DEMO_BASE_PORT)
    .option('--load <bundle>', 'a STIX bundle (e.g. MITRE ATT&CK) to ingest into Arcadia and share')
    .option('--no-build', 'do not build the web app when it is missing')
    .action(async (o) => {
      if (o.build) ensureWebApp(io);
      const demo = await startDemo({
        dir: o.dir,
        basePort: o.basePort,
        load: o.load,
        log: (line) => io.err(line),
      });
      io.out(
        `parley demo: three nodes on 127.0.0.1, data in ${demo.dir}${demo.created ? ' (new)' : ' (resumed)'}`,
      );
      for (const n of demo.nodes)
        io.out(`  ${n.party.padEnd(10)} ${`${n.url}/`.padEnd(24)} sign in as ${n.user} / ${n.password}`);
      io.out('Open an address in a browser. Ctrl-C stops the demo; run it again to resume it.');
      io.out('`parley serve` runs one real node; `parley user add NAME --role R` adds people to one.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      io.err('stopping the demo...');
      await demo.close();
    });
}
