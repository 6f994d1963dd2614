/** Messages between the main thread and the ingest worker (./ingest-worker.ts). */
import type { ErrorDetails } from '../core/errors.js';
import type { Ready, Rejection } from './prepare.js';

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
      rows: Ready[];
      rejections: Rejection[];
      read: number;
      upgraded: number;
      bytes: number;
    }
  | { t: 'done'; read: number; upgraded: number; bytes: number }
  | { t: 'warm' }
  | { t: 'error'; code: string; message: string; status: number; details: ErrorDetails };
