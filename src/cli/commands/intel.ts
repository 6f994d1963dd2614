/** `parley ingest` and `parley export`: STIX in and out of a node's collections. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { DEFAULT_COLLECTION, openNode } from '../../app/index.js';
import { loadConfig, ParleyError } from '../../core/index.js';
import { exportBundle, ingest } from '../../intel/index.js';
import { defaultValidator } from '../../stix/index.js';
import { type Io, progress } from '../output.js';
import { nodeOptions } from './common.js';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
}

export function registerIntel(program: Command, io: Io): void {
  nodeOptions(program.command('ingest'))
    .description('ingest STIX 2.1 (or 2.0, upgraded) from a bundle, a JSON array or a TAXII envelope')
    .argument('<file>', 'a file, or - for standard input')
    .option('--collection <name>', 'collection alias or id (created if missing)', DEFAULT_COLLECTION)
    .option('--strict', 'write nothing if any object is rejected')
    .option('--max-object-bytes <n>', 'largest single object accepted, bytes (default 16 MiB)', positiveInt)
    .action(async (file, o) => {
      const source = file === '-' ? process.stdin : await openFile(file);
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        if (!(await node.stix.getCollection(o.collection))) {
          await node.stix.createCollection({ alias: o.collection, title: o.collection });
          io.err(`created collection "${o.collection}"`);
        }
        const bar = progress(io, 'ingesting: objects read');
        const s = await ingest({ database: node.database, validator: defaultValidator() }, source, {
          collection: o.collection,
          strict: o.strict,
          maxObjectBytes: o.maxObjectBytes,
          onProgress: (n, bytes) => bar.update(n, `(${(bytes / 2 ** 20).toFixed(1)} MiB)`),
        });
        bar.done();
        for (const r of s.rejections) {
          const where = [r.id ?? `object ${r.index}`, r.path].filter(Boolean).join(' at ');
          io.err(`rejected ${where}: ${r.message} [${r.code}]`);
        }
        if (s.rejected > s.rejections.length)
          io.err(`... and ${s.rejected - s.rejections.length} more rejections`);
        const upgraded = s.upgraded ? `, ${s.upgraded} upgraded from STIX 2.0` : '';
        io.out(
          `read ${s.read}: stored ${s.stored}, already present ${s.present}, rejected ${s.rejected}${upgraded}` +
            (s.rolledBack ? ' (--strict: nothing written)' : ''),
        );
        // The partners' feeds learn of it now; the running server's outbox sends it.
        if (s.stored > 0 && !s.rolledBack) {
          const queued = await node.exchange.announce({}, { deliver: false });
          if (queued > 0) io.err(`queued for ${queued} partner feed(s); the running server sends it`);
        }
        if (s.rejected > 0) io.exitCode = 1;
      } finally {
        await node.close();
      }
    });

  nodeOptions(program.command('export'))
    .description('write a STIX 2.1 bundle of a collection to standard output, streamed')
    .option('--collection <name>', 'collection alias or id', DEFAULT_COLLECTION)
    .option('--type <types>', 'only these types, comma-separated', list)
    .option('--added-after <timestamp>', 'only objects added to this node after this RFC 3339 time')
    .option('--all-versions', 'every stored version, not only the latest of each object')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        await exportBundle(
          node.stix,
          { collection: o.collection, types: o.type, addedAfter: o.addedAfter, allVersions: o.allVersions },
          (chunk) => writeOut(chunk),
        );
      } finally {
        await node.close();
      }
    });
}

async function openFile(file: string) {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a regular file');
  } catch (e) {
    throw new ParleyError('input.unreadable', `cannot read ${file}: ${(e as Error).message}`, 400);
  }
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/** Writes to stdout and waits when the pipe is full, so a slow reader never makes us buffer. */
function writeOut(chunk: string): Promise<void> | undefined {
  if (process.stdout.write(chunk)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
