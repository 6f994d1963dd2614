/** Messages between the main thread and the ingest worker (./ingest-worker.ts). */
import type { ErrorDetails } from '../core/errors.js';
import type { Ready, Rejection, Retraction } from './prepare.js';

/**
 * Rows cross the thread boundary as columns, not an object per row: structured clone of many small
 * objects cost the main thread more than building them there. The head fields of a row (id, type,
 * spec_version, created, modified) are joined by newlines: none can hold one, as the rows are valid
 * (ids, types and timestamps have fixed forms). An absent field is empty. The JSON texts, most of
 * the bytes, go as an array of strings: joined and split they were copied twice more.
 */
export interface PackedRows {
  index: Int32Array;
  /** REVOKED | FIRST_OF_ID | TENTATIVE */
  flags: Uint8Array;
  /** The head fields, FIELDS per row. */
  text: string;
  /** The JSON texts, one per row. */
  json: string[];
}

const REVOKED = 1;
const FIRST_OF_ID = 2;
const TENTATIVE = 4;

const FIELDS = 5;

export function packRows(rows: Ready[]): PackedRows {
  const index = new Int32Array(rows.length);
  const flags = new Uint8Array(rows.length);
  const parts: string[] = new Array(rows.length * FIELDS);
  const jsons: string[] = new Array(rows.length);
  for (let i = 0, k = 0; i < rows.length; i++) {
    const { head, json, firstOfId, tentative } = rows[i] as Ready;
    index[i] = rows[i]?.index ?? -1;
    flags[i] = (head.revoked ? REVOKED : 0) | (firstOfId ? FIRST_OF_ID : 0) | (tentative ? TENTATIVE : 0);
    parts[k++] = head.id;
    parts[k++] = head.type;
    parts[k++] = head.spec_version ?? '';
    parts[k++] = head.created ?? '';
    parts[k++] = head.modified ?? '';
    jsons[i] = json;
  }
  return { index, flags, text: parts.join('\n'), json: jsons };
}

export function unpackRows(p: PackedRows): Ready[] {
  const n = p.index.length;
  if (n === 0) return [];
  const f = p.text.split('\n');
  const out: Ready[] = new Array(n);
  for (let i = 0, k = 0; i < n; i++, k += FIELDS) {
    const flags = p.flags[i] as number;
    const row: Ready = {
      index: p.index[i] as number,
      head: {
        id: f[k] as string,
        type: f[k + 1] as string,
        spec_version: f[k + 2] || undefined,
        created: f[k + 3] || undefined,
        modified: f[k + 4] || undefined,
        revoked: (flags & REVOKED) !== 0,
      },
      json: p.json[i] as string,
      firstOfId: (flags & FIRST_OF_ID) !== 0,
    };
    if (flags & TENTATIVE) row.tentative = true;
    out[i] = row;
  }
  return out;
}

/** Row batches posted but not yet written before the worker waits: bounds memory on any input. */
export const MAX_BATCHES_IN_FLIGHT = 3;
/** Input chunks posted but not yet consumed before the main thread stops reading the source. */
export const MAX_CHUNKS_IN_FLIGHT = 4;

export interface WorkerSetup {
  /** Marking definitions already in the collection. */
  storedMarkings: string[];
  maxObjectBytes?: number;
  batchSize: number;
  /** Tests only: make the worker exit or throw an uncaught exception after its first batch. */
  fault?: 'exit' | 'throw';
}

/** The input: bytes (transferred), its end, or the source's own failure. */
export type WorkerInput = { t: 'chunk'; buf: Uint8Array } | { t: 'end' } | { t: 'fail'; message: string };

/**
 * Main to worker: `start` a job (one input; a worker runs one at a time and is kept for the next),
 * its input, `ack` once a batch is written; or `warm` to compile every validator ahead of need.
 */
export type ToWorker = { t: 'start'; setup: WorkerSetup } | WorkerInput | { t: 'ack' } | { t: 'warm' };

/** Worker to main. Counters are totals so far. */
export type ToMain =
  | { t: 'pulled' }
  | {
      t: 'batch';
      rows: PackedRows;
      /** Applied before `rejections` and `rows`. */
      retracted: Retraction[];
      rejections: Rejection[];
      read: number;
      upgraded: number;
      bytes: number;
    }
  | { t: 'done'; read: number; upgraded: number; bytes: number }
  | { t: 'warm' }
  | { t: 'error'; code: string; message: string; status: number; details: ErrorDetails };
