/** `parley lookup`: which indicators in force match observed values (from arguments or a log file). */
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { DEFAULT_COLLECTION, openNode } from '../../app/index.js';
import { invalid, loadConfig, ParleyError } from '../../core/index.js';
import { type LookupResult, Matcher, readObservables, recordSightings } from '../../match/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

export function registerLookup(program: Command, io: Io): void {
  nodeOptions(program.command('lookup'))
    .description(
      'look values up against the indicators in force: VALUE is bare (typed by its form) or type:value ' +
        '(ipv4-addr, ipv6-addr, domain, url, email, md5, sha1, sha256, sha512, file, mutex, registry)',
    )
    .argument('[values...]', 'observables to look up')
    .option('--file <log>', 'read observables from a file: one per line, or a STIX bundle of observed-data')
    .option('--json', 'print the results as JSON')
    .option('--sighting', 'record a STIX sighting of each matched indicator in the local collection')
    .action(async (values, o) => {
      const all = [...values];
      if (o.file) all.push(...readObservables(await readLog(o.file)));
      if (all.length === 0)
        throw invalid('match.no_values', 'nothing to look up: give VALUE... or --file LOG');
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const matcher = await Matcher.open(node.stix, { clock: node.clock });
        const results = matcher.lookup(all);
        if (o.json) io.out(JSON.stringify(results, null, 2));
        else for (const r of results) for (const line of describe(r)) io.out(line);
        if (o.sighting) {
          const s = await recordSightings(results, {
            store: node.stix,
            collection: DEFAULT_COLLECTION,
            clock: node.clock,
          });
          io.err(`recorded ${s.length} sighting${s.length === 1 ? '' : 's'} in "${DEFAULT_COLLECTION}"`);
        }
      } finally {
        await node.close();
      }
    });
}

async function readLog(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new ParleyError('input.unreadable', `cannot read ${file}: ${(e as Error).message}`, 400);
  }
}

function describe(r: LookupResult): string[] {
  const type = r.algorithm ? `${r.type} ${r.algorithm}` : r.type;
  if (r.matches.length === 0) return [`${r.value}\t(${type})\tno match`];
  return r.matches.map((m) => {
    const parts = [
      r.value,
      `(${type})`,
      m.id,
      `TLP:${(m.tlp ?? 'none').toUpperCase()}`,
      `origin=${m.origin}`,
      `confidence=${m.confidence ?? '-'}`,
      `valid=${m.validFrom}..${m.validUntil ?? ''}`,
    ];
    if (m.name) parts.push(JSON.stringify(m.name));
    return parts.join('\t');
  });
}
