/**
 * The ingest worker: read, parse, upgrade, validate and stringify on a second core while the main
 * thread writes to the database. It runs one job (one input) at a time and is kept for the next,
 * so its module load and compiled validators are paid once per process, not per input.
 *
 * For a job the main thread posts the input's bytes as they arrive (at most a few chunks ahead:
 * `pulled` says when one was consumed); the worker posts batches of ready rows and rejections, and
 * waits when {@link MAX_BATCHES_IN_FLIGHT} are not yet acknowledged, so memory stays bounded
 * whatever the input's size. Protocol types are in ./worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { ParleyError } from '../core/errors.js';
import { readStixObjects } from '../core/json-stream/index.js';
import { defaultValidator } from '../stix/index.js';
import { Preparer } from './prepare.js';
import { warmUpPipeline } from './warm-up.js';
import {
  MAX_BATCHES_IN_FLIGHT,
  packRows,
  type ToMain,
  type ToWorker,
  type WorkerInput,
  type WorkerSetup,
} from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('ingest-worker.ts runs only as a worker thread');
const post = (m: ToMain) => port.postMessage(m);

/** The job in progress: its input chunks and acknowledgements. */
class Job {
  readonly chunks: WorkerInput[] = [];
  wakeReader: (() => void) | undefined;
  inFlight = 0;
  wakeWriter: (() => void) | undefined;
  constructor(readonly setup: WorkerSetup) {}
}
let job: Job | undefined;

port.on('message', (m: ToWorker) => {
  if (m.t === 'start') {
    const j = new Job(m.setup);
    job = j;
    run(j)
      .catch(report)
      .finally(() => {
        if (job === j) job = undefined;
      });
  } else if (m.t === 'warm') {
    defaultValidator().warmUp();
    // An optimisation only: a warm-up that fails leaves a worker that is merely slower at first.
    warmUpPipeline(defaultValidator(), SLICE_BYTES)
      .catch(() => {})
      .finally(() => post({ t: 'warm' }));
  } else if (!job) {
    // Input of a job that already ended (the main thread terminates a worker after a failure).
  } else if (m.t === 'ack') {
    job.inFlight--;
    job.wakeWriter?.();
  } else {
    job.chunks.push(m);
    job.wakeReader?.();
  }
});

/**
 * The reader is fed the input in slices of this size, not in the chunks as they come (a file read
 * gives a MiB): it parses a slice's objects before handing them on, and the fewer parsed objects
 * live at once, the fewer the collector copies and promotes. ATT&CK: ~5% less wall time than 1 MiB.
 */
const SLICE_BYTES = 128 * 1024;

async function* input(j: Job): AsyncGenerator<Uint8Array> {
  for (;;) {
    while (j.chunks.length === 0) await new Promise<void>((r) => (j.wakeReader = r));
    j.wakeReader = undefined;
    const m = j.chunks.shift() as WorkerInput;
    if (m.t === 'end') return;
    if (m.t === 'fail') throw new Error(m.message);
    post({ t: 'pulled' });
    for (let at = 0; at < m.buf.byteLength; at += SLICE_BYTES) yield m.buf.subarray(at, at + SLICE_BYTES);
  }
}

/** Posts what is ready, at most a batch of rows per message, waiting while too many are unwritten. */
async function send(j: Job, p: Preparer, bytes: number): Promise<void> {
  while (p.rows.length > 0 || p.rejections.length > 0 || p.retracted.length > 0) {
    post({
      t: 'batch',
      rows: packRows(p.rows.splice(0, j.setup.batchSize)),
      retracted: p.retracted.splice(0),
      rejections: p.rejections.splice(0),
      read: p.read,
      upgraded: p.upgraded,
      bytes,
    });
    j.inFlight++;
    while (j.inFlight >= MAX_BATCHES_IN_FLIGHT) await new Promise<void>((r) => (j.wakeWriter = r));
    j.wakeWriter = undefined;
  }
}

async function run(j: Job): Promise<void> {
  const { setup } = j;
  const p = new Preparer(defaultValidator(), new Set(setup.storedMarkings));
  const reader = readStixObjects(input(j), { maxObjectBytes: setup.maxObjectBytes });
  for await (const elements of reader.batches()) {
    const spec = reader.header?.specVersion;
    for (const el of elements) {
      p.accept(el, spec);
      if (p.rows.length >= setup.batchSize || p.rejections.length >= setup.batchSize) {
        await send(j, p, reader.bytesRead);
        if (setup.fault === 'exit') process.exit(3);
        // Halts here, then throws outside any promise chain, so 'done' can never be posted first.
        if (setup.fault === 'throw') await new Promise<never>(() => setImmediate(() => fail()));
      }
    }
  }
  await reader.container;
  p.finish();
  await send(j, p, reader.bytesRead);
  post({ t: 'done', read: p.read, upgraded: p.upgraded, bytes: reader.bytesRead });
}

/** Test fault: an exception nobody catches, as a bug in a dependency would throw. */
function fail(): never {
  throw new Error('ingest worker fault injected for a test');
}

function report(e: unknown): void {
  const pe =
    e instanceof ParleyError
      ? e
      : new ParleyError('internal', `ingest worker: ${e instanceof Error ? e.message : String(e)}`, 500);
  post({ t: 'error', code: pe.code, message: pe.message, status: pe.status, details: pe.details });
}
