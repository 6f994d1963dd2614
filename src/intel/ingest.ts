/**
 * Ingest: a stream of STIX (bundle, TAXII envelope or JSON array) into a collection.
 *
 *   read (streaming, one object at a time) -> upgrade STIX 2.0 -> validate -> batch -> store
 *
 * An input is written in one transaction: an input that breaks off (truncated JSON, invalid UTF-8,
 * a nested bundle, an object past the size limit) leaves nothing behind. Objects that fail
 * validation are reported and skipped; with `strict`, any rejection rolls everything back.
 * Marking references may point forward (MITRE's files define their marking after the objects that
 * use it), so an object whose only fault is an unresolved marking waits until the end of the input.
 */
import { ParleyError } from '../core/errors.js';
import { readStixObjects, type StixElement, type StixSource } from '../core/json-stream/index.js';
import { type StixIssue, type StixValidator, stixPatternProblem, upgrade20 } from '../stix/index.js';
import {
  createStixStore,
  type Database,
  type IngestOutcome,
  type ObjectToStore,
  type StixHead,
  type StixStore,
  versionOf,
} from '../store/index.js';

export interface IngestOptions {
  /** Collection id or alias. */
  collection: string;
  /** Write nothing if any object is rejected. */
  strict?: boolean;
  /** Objects per store call (default 1000). */
  batchSize?: number;
  /** Largest single object accepted, bytes. */
  maxObjectBytes?: number;
  /** Called now and then with the number of objects read and bytes consumed. */
  onProgress?: (objects: number, bytes: number) => void;
  /** How many rejections to keep in the summary (all are counted). Default 1000. */
  keepRejections?: number;
}

export interface Rejection {
  /** Position of the object in the input, from 0. */
  index: number;
  id?: string;
  /** Stable code: a STIX rule (`stix.required`) or a store rule (`stix.revoked_is_final`). */
  code: string;
  /** JSON pointer inside the object, when the rule names one. */
  path?: string;
  message: string;
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

const SCO_TYPES = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

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
      await new Run(deps.validator, store, collection.id, opts, summary).consume(source);
      if (opts.strict && summary.rejected > 0) throw new StrictRollback();
    });
  } catch (e) {
    if (!(e instanceof StrictRollback)) throw e;
    summary.rolledBack = true;
    summary.stored = 0;
  }
  return summary;
}

interface Ready {
  index: number;
  head: StixHead;
  json: string;
}

class Run {
  private readonly batch: Ready[] = [];
  private readonly pending: Array<{ index: number; value: Record<string, unknown>; json: string }> = [];
  /** (id, version) -> first index, to refuse the same version twice in one input. */
  private readonly seen = new Map<string, number>();
  /** Marking definitions of this input, and those found in the store. */
  private readonly markings = new Set<string>();
  private readonly storedMarkings = new Map<string, boolean>();
  private readonly batchSize: number;
  private readonly keep: number;

  constructor(
    private readonly validator: StixValidator,
    private readonly store: StixStore,
    private readonly collectionId: string,
    private readonly opts: IngestOptions,
    private readonly summary: IngestSummary,
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.keep = opts.keepRejections ?? 1000;
  }

  async consume(source: StixSource): Promise<void> {
    const reader = readStixObjects(source, { maxObjectBytes: this.opts.maxObjectBytes });
    for await (const elements of reader.batches()) {
      for (const el of elements) await this.accept(el, reader.header?.specVersion);
      this.summary.bytes = reader.bytesRead;
      this.opts.onProgress?.(this.summary.read, reader.bytesRead);
    }
    await reader.container;
    // Markings defined later in the input are known now.
    for (const p of this.pending.splice(0)) await this.check(p.index, p.value, p.json, true);
    await this.flush();
  }

  private async accept(el: StixElement, bundleSpec: string | undefined): Promise<void> {
    this.summary.read++;
    let value = el.value;
    let json = el.raw.includes('\n') ? JSON.stringify(value) : el.raw;
    if (value.type === 'bundle') {
      throw new ParleyError('input.nested_bundle', `object ${el.index} is a bundle inside a bundle`, 400);
    }
    if (isStix20(value, bundleSpec)) {
      value = upgrade20(value) as Record<string, unknown>;
      json = JSON.stringify(value);
      this.summary.upgraded++;
    }
    if (value.type === 'marking-definition' && typeof value.id === 'string') this.markings.add(value.id);
    await this.check(el.index, value, json, false);
  }

  private async check(index: number, value: Record<string, unknown>, json: string, final: boolean) {
    const unknownRefs = await this.prefetchMarkings(value);
    const r = this.validator.validate(value, {
      knownMarkings: (id) => this.markings.has(id) || this.storedMarkings.get(id) === true,
      // An indicator whose STIX pattern does not parse is refused with the parser's message.
      checkPattern: stixPatternProblem,
    });
    if (!r.ok) {
      const onlyMarkings = r.errors.every((e) => e.rule === 'stix.marking_unresolved');
      if (onlyMarkings && !final && unknownRefs) {
        this.pending.push({ index, value, json });
        return;
      }
      return this.reject(index, value, r.errors);
    }
    const head = headOf(value);
    const key = `${head.id}\u0000${versionOf(head)}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      return this.rejectOne({
        index,
        id: head.id,
        code: 'input.duplicate',
        message: `${head.id} version ${versionOf(head) || '(unversioned)'} appears twice in this input (first at object ${first})`,
      });
    }
    this.seen.set(key, index);
    this.batch.push({ index, head, json });
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  /** Looks up, once each, marking references that this input does not define. */
  private async prefetchMarkings(value: Record<string, unknown>): Promise<boolean> {
    const refs = markingRefsOf(value).filter((r) => !this.markings.has(r));
    let unknown = false;
    for (const ref of refs) {
      let known = this.storedMarkings.get(ref);
      if (known === undefined) {
        known = (await this.store.versions(this.collectionId, ref)).length > 0;
        this.storedMarkings.set(ref, known);
      }
      if (!known) unknown = true;
    }
    return unknown;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const items = this.batch.splice(0);
    const toStore: ObjectToStore[] = items.map((i) => ({ head: i.head, json: i.json }));
    const outcomes: IngestOutcome[] = await this.store.ingest(this.collectionId, toStore);
    outcomes.forEach((o, k) => {
      if (o.status === 'stored') this.summary.stored++;
      else if (o.status === 'present') this.summary.present++;
      else this.rejectOne({ index: items[k]?.index ?? -1, id: o.id, code: o.code, message: o.reason });
    });
  }

  private reject(index: number, value: Record<string, unknown>, errors: StixIssue[]): void {
    const first = errors[0];
    const id = typeof value.id === 'string' ? value.id : undefined;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    this.rejectOne({
      index,
      id,
      code: first?.rule ?? 'stix.invalid',
      path: first?.path,
      message: `${first?.message ?? 'invalid'}${more}`,
    });
  }

  private rejectOne(r: Rejection): void {
    this.summary.rejected++;
    if (this.summary.rejections.length < this.keep) this.summary.rejections.push(r);
  }
}

/** STIX 2.0 objects carry no spec_version (2.1 requires it on everything but SCOs). */
function isStix20(value: Record<string, unknown>, bundleSpec: string | undefined): boolean {
  if (value.spec_version !== undefined) return value.spec_version === '2.0';
  if (bundleSpec === '2.0') return true;
  return typeof value.type === 'string' && !SCO_TYPES.has(value.type);
}

function headOf(v: Record<string, unknown>): StixHead {
  return {
    id: v.id as string,
    type: v.type as string,
    spec_version: typeof v.spec_version === 'string' ? v.spec_version : undefined,
    created: typeof v.created === 'string' ? v.created : undefined,
    modified: typeof v.modified === 'string' ? v.modified : undefined,
    revoked: v.revoked === true,
  };
}

function markingRefsOf(v: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Array.isArray(v.object_marking_refs))
    for (const r of v.object_marking_refs) if (typeof r === 'string') out.push(r);
  if (Array.isArray(v.granular_markings)) {
    for (const g of v.granular_markings) {
      const ref = (g as { marking_ref?: unknown })?.marking_ref;
      if (typeof ref === 'string') out.push(ref);
    }
  }
  return out;
}
