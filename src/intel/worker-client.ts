/**
 * The main thread's side of a pipelined ingest: feeds the input's bytes to the ingest worker and
 * writes the batches it returns. Reading the source, parsing and validation run on the worker's
 * core while the database write of the previous batch runs here.
 *
 * Any failure of the worker (an `input.*` error it reports, an uncaught exception, an exit) rejects
 * with a ParleyError; the worker is terminated and the caller's transaction rolls back. Nothing
 * waits on a worker that is gone: every wait here races the failure.
 */
import { Worker } from 'node:worker_threads';
import { ParleyError } from '../core/errors.js';
import type { Ready, Rejection, Retraction } from './prepare.js';
import {
  MAX_CHUNKS_IN_FLIGHT,
  type ToMain,
  type ToWorker,
  unpackRows,
  type WorkerSetup,
} from './worker-protocol.js';

/** Where the main thread's results go (the database, the summary). */
export interface BatchSink {
  /** Deletes tentative objects written earlier (see Preparer); before the rejections and rows that follow. */
  retract(rs: Retraction[]): Promise<void>;
  reject(rs: Rejection[]): void;
  write(rows: Ready[]): Promise<void>;
  progress(read: number, upgraded: number, bytes: number): void;
}

/**
 * Under tsx (tests, bench, `npx tsx`) this module is TypeScript: a worker inherits no loader hooks
 * registered at run time (Node 20), so a two-line bootstrap registers tsx in the worker first.
 * Once built, the worker is plain JavaScript.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./ingest-worker.js', import.meta.url));
  const target = JSON.stringify(new URL('./ingest-worker.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((api) => { api.register(); return import(${target}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * One idle worker is kept (unref'd: it never holds the process open) so that its start-up
 * (module load, validator compile: seconds of CPU) is paid once per process. A worker that failed
 * or was interrupted is terminated, never reused; concurrent ingests each get their own.
 */
let idle: Worker | undefined;
const forget = () => {
  idle = undefined;
};

function acquire(): Worker {
  const w = idle ?? startWorker();
  idle = undefined;
  w.off('exit', forget);
  w.off('error', forget);
  w.ref();
  return w;
}

function release(w: Worker): void {
  if (idle) {
    void w.terminate();
    return;
  }
  w.unref();
  idle = w;
  // An idle worker that dies is simply not reused.
  w.once('exit', forget);
  w.once('error', forget);
}

/**
 * Starts the ingest worker, compiles every validator in it and runs a synthetic input through its
 * reader and validation (./warm-up.ts: a few hundred milliseconds of its CPU), so that the first
 * large ingest pays neither the compile nor V8's optimisation of the hot code (a server at
 * start-up, a benchmark before its clock starts).
 */
export async function warmUpIngestWorker(): Promise<void> {
  const w = acquire();
  try {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: ToMain) => {
        if (m.t === 'warm') resolve();
      };
      w.on('message', onMessage);
      w.once('error', (e) => reject(workerFailed(e.message)));
      w.once('exit', (code) => reject(workerFailed(`it exited with code ${code}`)));
      w.postMessage({ t: 'warm' } satisfies ToWorker);
    });
    w.removeAllListeners('message');
    w.removeAllListeners('error');
    w.removeAllListeners('exit');
    release(w);
  } catch (e) {
    await w.terminate();
    throw e;
  }
}

class Stopped extends Error {}

export async function runInWorker(
  source: AsyncIterator<Uint8Array>,
  setup: WorkerSetup,
  sink: BatchSink,
): Promise<void> {
  const worker = acquire();
  let finished = false;
  let clean = false;
  const { fail, race } = failure();

  const queue: ToMain[] = [];
  let wakeConsumer: (() => void) | undefined;
  let chunksInFlight = 0;
  let wakePump: (() => void) | undefined;
  const onMessage = (m: ToMain) => {
    if (m.t === 'pulled') {
      chunksInFlight--;
      wakePump?.();
    } else {
      queue.push(m);
      wakeConsumer?.();
    }
  };
  const onError = (e: Error) => fail(workerFailed(e.message));
  const onExit = (code: number) => {
    if (!finished) fail(workerFailed(`it exited with code ${code}`));
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  const send = (m: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer);
  send({ t: 'start', setup });

  const pump = async () => {
    let sourceDone = false;
    try {
      for (;;) {
        while (chunksInFlight >= MAX_CHUNKS_IN_FLIGHT) {
          await race(new Promise<void>((r) => (wakePump = r)));
        }
        let r: IteratorResult<Uint8Array>;
        try {
          r = await race(source.next());
        } catch (e) {
          if (e instanceof Stopped || (e instanceof ParleyError && e.code === 'intel.worker_failed')) throw e;
          // The source's own failure: the worker's reader reports it as `input.read_failed`.
          sourceDone = true;
          send({ t: 'fail', message: e instanceof Error ? e.message : String(e) });
          return;
        }
        if (r.done) {
          sourceDone = true;
          send({ t: 'end' });
          return;
        }
        // A copy of our own to transfer: a stream's chunk may share a pooled ArrayBuffer.
        const buf = new Uint8Array(r.value.byteLength);
        buf.set(r.value);
        chunksInFlight++;
        send({ t: 'chunk', buf }, [buf.buffer as ArrayBuffer]);
      }
    } catch {
      // Stopped or failed: the consumer reports why.
    } finally {
      // Release the file or socket (does not wait for a source that never answers).
      if (!sourceDone) void Promise.resolve(source.return?.()).catch(() => {});
    }
  };
  void pump();

  try {
    for (;;) {
      while (queue.length === 0) await race(new Promise<void>((r) => (wakeConsumer = r)));
      const m = queue.shift() as ToMain;
      if (m.t === 'error') throw new ParleyError(m.code, m.message, m.status, m.details);
      if (m.t === 'batch') {
        if (m.retracted.length > 0) await sink.retract(m.retracted);
        sink.reject(m.rejections);
        await sink.write(unpackRows(m.rows));
        send({ t: 'ack' });
        sink.progress(m.read, m.upgraded, m.bytes);
      } else if (m.t === 'done') {
        sink.progress(m.read, m.upgraded, m.bytes);
        clean = true;
        return;
      }
    }
  } finally {
    finished = true;
    fail(new Stopped());
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    // Only a worker that finished its job cleanly (its input read to the end) is reused.
    if (clean) release(worker);
    else await worker.terminate();
  }
}

/**
 * Waits that reject as soon as the job fails. Not `Promise.race([p, failed])` with one long-lived
 * `failed` promise: each race leaves a reaction on it that holds the race's result (an input chunk)
 * until `failed` settles, i.e. the whole input stayed in memory until the end of the job.
 */
function failure(): { fail: (e: Error) => void; race: <T>(p: Promise<T>) => Promise<T> } {
  let failed: { e: Error } | undefined;
  const waiting = new Set<(e: Error) => void>();
  return {
    fail(e) {
      if (failed) return;
      failed = { e };
      for (const reject of waiting) reject(e);
      waiting.clear();
    },
    race<T>(p: Promise<T>): Promise<T> {
      if (failed) {
        p.catch(() => {});
        return Promise.reject(failed.e);
      }
      return new Promise<T>((resolve, reject) => {
        waiting.add(reject);
        p.then(
          (v) => {
            waiting.delete(reject);
            resolve(v);
          },
          (e: unknown) => {
            waiting.delete(reject);
            reject(e);
          },
        );
      });
    },
  };
}

function workerFailed(why: string): ParleyError {
  return new ParleyError(
    'intel.worker_failed',
    `the ingest worker failed: ${why}; nothing of this input was written`,
    500,
  );
}
