/**
 * Ingest: a stream of STIX (bundle, TAXII envelope or JSON array) into a collection.
 *
 *   read (streaming) -> upgrade STIX 2.0 -> validate -> batch -> store
 *
 * An input is written in one transaction: an input that breaks off (truncated JSON, invalid UTF-8,
 * a nested bundle, an object past the size limit) leaves nothing behind. Objects that fail
 * validation are reported and skipped; with `strict`, any rejection rolls everything back.
 * Marking references may point forward (MITRE's files define their marking after the objects that
 * use it), so an object whose only fault is an unresolved marking waits until the end of the input.
 *
 * A large input is pipelined over two cores: a worker thread reads, parses, upgrades and
 * validates (./ingest-worker.ts) while this thread writes the previous batch. A small one (a TAXII
 * POST of a few objects) is done here, where a worker's start-up would cost more than it saves.
 */
import { ParleyError } from '../core/errors.js';
import { readStixObjects, type StixSource } from '../core/json-stream/index.js';
import { defaultValidator, type StixValidator } from '../stix/index.js';
import {
  createStixStore,
  type Database,
  type IngestOutcome,
  type InputWriter,
  type StixStore,
} from '../store/index.js';
import { Preparer, type Ready, type Rejection, type Retraction } from './prepare.js';
import { type BatchSink, runInWorker } from './worker-client.js';

export type { Rejection } from './prepare.js';
export { warmUpIngestWorker } from './worker-client.js';

/** Inputs at least this large (bytes) use the worker in `auto` mode. */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;

export interface IngestOptions {
  /** Collection id or alias. */
  collection: string;
  /** Write nothing if any object is rejected. */
  strict?: boolean;
  /**
   * Objects per store call (default 500). The worker holds a batch until it posts it: a smaller one
   * leaves fewer objects alive at each young collection (ATT&CK: ~8% faster than 1000).
   */
  batchSize?: number;
  /** Largest single object accepted, bytes. */
  maxObjectBytes?: number;
  /** Called now and then with the number of objects read and bytes consumed. */
  onProgress?: (objects: number, bytes: number) => void;
  /** How many rejections to keep in the summary (all are counted). Default 1000. */
  keepRejections?: number;
  /**
   * `auto` (default): a worker thread for inputs of {@link WORKER_MIN_BYTES} or more, when the
   * validator is the default one (the worker builds its own); `always`; `never`.
   */
  worker?: 'auto' | 'always' | 'never';
  /** Tests only: make the worker exit or throw after its first batch. */
  workerFault?: 'exit' | 'throw';
}

export interface IngestSummary {
  collectionId: string;
  read: number;
  stored: number;
  present: number;
  rejected: number;
  /** Objects upgraded from STIX 2.0 on the way in. */
  upgraded: number;
  rejections: Rejection[];
  /** True when `strict` rolled everything back. */
  rolledBack: boolean;
  bytes: number;
}

export interface IngestDeps {
  database: Database;
  validator: StixValidator;
}

class StrictRollback extends Error {}

export async function ingest(
  deps: IngestDeps,
  source: StixSource,
  opts: IngestOptions,
): Promise<IngestSummary> {
  const outer = createStixStore(deps.database);
  const collection = await outer.getCollection(opts.collection);
  if (!collection) {
    throw new ParleyError('collection.not_found', `no collection "${opts.collection}" on this node`, 404, {
      collection: opts.collection,
    });
  }
  const summary: IngestSummary = {
    collectionId: collection.id,
    read: 0,
    stored: 0,
    present: 0,
    rejected: 0,
    upgraded: 0,
    rejections: [],
    rolledBack: false,
    bytes: 0,
  };
  try {
    await deps.database.transaction(async (tx) => {
      // The store runs inside this transaction, so the whole input commits or rolls back as one.
      const store = createStixStore({ ...deps.database, db: tx, transaction: (fn) => fn(tx) });
      const storedMarkings = await markingsIn(store, summary.collectionId);
      await store.ingestInput(summary.collectionId, (writer) =>
        consume(deps.validator, writer, storedMarkings, source, opts, summary),
      );
      if (opts.strict && summary.rejected > 0) throw new StrictRollback();
    });
  } catch (e) {
    if (!(e instanceof StrictRollback)) throw e;
    summary.rolledBack = true;
    summary.stored = 0;
  }
  return summary;
}

async function consume(
  validator: StixValidator,
  writer: InputWriter,
  storedMarkings: Set<string>,
  source: StixSource,
  opts: IngestOptions,
  summary: IngestSummary,
): Promise<void> {
  const sink = new StoreSink(writer, summary, opts);
  const batchSize = opts.batchSize ?? 500;
  const mode = opts.worker ?? 'auto';
  const useWorker = mode === 'always' || (mode === 'auto' && validator === defaultValidator());
  const input = await peek(source, useWorker && mode === 'auto' ? WORKER_MIN_BYTES : 0);
  if (useWorker && (mode === 'always' || input.large)) {
    const setup = {
      storedMarkings: [...storedMarkings],
      maxObjectBytes: opts.maxObjectBytes,
      batchSize,
      fault: opts.workerFault,
    };
    return runInWorker(input.chunks[Symbol.asyncIterator](), setup, sink);
  }
  const p = new Preparer(validator, storedMarkings);
  const drain = async () => {
    if (p.retracted.length > 0) await sink.retract(p.retracted.splice(0));
    sink.reject(p.rejections.splice(0));
    while (p.rows.length > 0) await sink.write(p.rows.splice(0, batchSize));
  };
  const reader = readStixObjects(input.chunks, { maxObjectBytes: opts.maxObjectBytes });
  for await (const elements of reader.batches()) {
    const spec = reader.header?.specVersion;
    for (const el of elements) {
      p.accept(el, spec);
      if (p.rows.length >= batchSize || p.rejections.length >= batchSize) await drain();
    }
    sink.progress(p.read, p.upgraded, reader.bytesRead);
  }
  await reader.container;
  // Markings defined later in the input are known now.
  p.finish();
  await drain();
  sink.progress(p.read, p.upgraded, reader.bytesRead);
}

/** The summary and the store, fed in input order by either path. */
class StoreSink implements BatchSink {
  private readonly keep: number;
  /** What the store did with each tentative object, until the end of the input settles it. */
  private readonly tentative = new Map<number, IngestOutcome['status']>();

  constructor(
    private readonly writer: InputWriter,
    private readonly summary: IngestSummary,
    private readonly opts: IngestOptions,
  ) {
    this.keep = opts.keepRejections ?? 1000;
  }

  reject(rs: Rejection[]): void {
    for (const r of rs) this.rejectOne(r);
  }

  /** Undoes what the store did with each tentative object, and deletes those it stored. */
  async retract(rs: Retraction[]): Promise<void> {
    const del: Retraction[] = [];
    for (const r of rs) {
      const status = this.tentative.get(r.index);
      this.tentative.delete(r.index);
      if (status === 'stored') {
        this.summary.stored--;
        del.push(r);
      } else if (status === 'present') this.summary.present--;
      else if (status === 'rejected') {
        // Refused by the store; now refused for its markings instead.
        this.summary.rejected--;
        const k = this.summary.rejections.findIndex((x) => x.index === r.index);
        if (k >= 0) this.summary.rejections.splice(k, 1);
      }
    }
    if (del.length > 0) await this.writer.retract(del);
  }

  async write(items: Ready[]): Promise<void> {
    if (items.length === 0) return;
    const outcomes: IngestOutcome[] = await this.writer.write(items);
    for (let k = 0; k < outcomes.length; k++) {
      const o = outcomes[k] as IngestOutcome;
      const item = items[k] as Ready;
      if (item.tentative) this.tentative.set(item.index, o.status);
      if (o.status === 'stored') this.summary.stored++;
      else if (o.status === 'present') this.summary.present++;
      else this.rejectOne({ index: items[k]?.index ?? -1, id: o.id, code: o.code, message: o.reason });
    }
  }

  progress(read: number, upgraded: number, bytes: number): void {
    this.summary.read = read;
    this.summary.upgraded = upgraded;
    this.summary.bytes = bytes;
    this.opts.onProgress?.(read, bytes);
  }

  private rejectOne(r: Rejection): void {
    this.summary.rejected++;
    if (this.summary.rejections.length < this.keep) this.summary.rejections.push(r);
  }
}

/** Marking definitions already in the collection: references to them resolve. */
async function markingsIn(store: StixStore, collectionId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const o of store.stream({ collectionId, types: ['marking-definition'] })) ids.add(o.id);
  return ids;
}

/**
 * Reads the source's first chunks, up to `threshold` bytes, to learn whether the input is large
 * (it may be a stream of unknown length). The bytes read come back first in `chunks`; a failure of
 * the source is replayed there too, so the reader reports it at the same offset.
 */
async function peek(
  source: StixSource,
  threshold: number,
): Promise<{ large: boolean; chunks: AsyncIterable<Uint8Array> }> {
  const it = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let bytes = 0;
  let done = false;
  let error: { e: unknown } | undefined;
  while (bytes < threshold && !done) {
    try {
      const r = await it.next();
      if (r.done) done = true;
      else {
        const b = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
        head.push(b);
        bytes += b.byteLength;
      }
    } catch (e) {
      error = { e };
      done = true;
    }
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      yield* head.splice(0);
      if (error) throw error.e;
      while (!finished) {
        const r = await it.next();
        if (r.done) finished = true;
        else yield typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  return { large: bytes >= threshold && !done, chunks: { [Symbol.asyncIterator]: chunks } };
}
