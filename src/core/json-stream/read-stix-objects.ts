/**
 * `readStixObjects`: the streaming reader behind `parley ingest FILE|-`. It never holds the whole
 * input, only the chunk being read and the element in progress.
 */
import { ParleyError } from '../errors.js';
import { StixContainerScanner } from './container-scanner.js';
import type { ReadStixOptions, StixContainerHeader, StixContainerInfo, StixElement } from './types.js';

/** Anything that yields bytes: a Node.js readable (file, stdin, HTTP body) or an async iterable. */
export type StixSource = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

export interface StixObjectReader extends AsyncIterable<StixElement> {
  /** The same elements, grouped by input chunk: fewer awaits when throughput matters. */
  batches(): AsyncIterable<StixElement[]>;
  /**
   * The wrapper properties written before `objects`, set before the first element is yielded
   * (`{ form: 'array' }` for a bare array). A STIX 2.0 bundle that puts `spec_version` first shows
   * it here; one that puts it after `objects` (as MITRE's files do) shows it only in `container`,
   * so a caller that must know per object should also treat an object without `spec_version` as 2.0.
   */
  readonly header: StixContainerHeader | undefined;
  /**
   * Resolves once the input has been read to its end, with every wrapper property wherever it was
   * written; rejects with the error that ended the iteration (or `input.not_read` when the caller
   * stopped iterating early). Awaiting it is optional: an unobserved rejection is not reported.
   */
  readonly container: Promise<StixContainerInfo>;
  /** Bytes read so far (for progress). */
  readonly bytesRead: number;
}

/**
 * Reads the objects of a STIX bundle, a TAXII envelope or a bare array from a byte stream.
 *
 * @example
 * const reader = readStixObjects(fs.createReadStream(file));
 * for await (const { index, value } of reader) store(value);
 * const { specVersion } = await reader.container; // "2.0" for a STIX 2.0 bundle
 */
export function readStixObjects(source: StixSource, opts: ReadStixOptions = {}): StixObjectReader {
  return new Reader(source, opts);
}

class Reader implements StixObjectReader {
  private readonly scanner: StixContainerScanner;
  private started = false;
  readonly container: Promise<StixContainerInfo>;
  private settle!: { resolve: (info: StixContainerInfo) => void; reject: (e: unknown) => void };

  constructor(
    private readonly source: StixSource,
    opts: ReadStixOptions,
  ) {
    this.scanner = new StixContainerScanner(opts);
    this.container = new Promise<StixContainerInfo>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.container.catch(() => {});
  }

  get header(): StixContainerHeader | undefined {
    return this.scanner.header;
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  async *batches(): AsyncGenerator<StixElement[]> {
    if (this.started) {
      throw new ParleyError('internal', 'a STIX object reader can be iterated only once', 500);
    }
    this.started = true;
    const source = (this.source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    let sourceDone = false;
    let settled = false;
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array | string>;
        try {
          r = await source.next();
        } catch (e) {
          sourceDone = true;
          throw readFailed(e, this.scanner.bytesRead);
        }
        if (r.done) {
          sourceDone = true;
          break;
        }
        const chunk = r.value;
        const out = this.scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        if (out.length > 0) yield out;
        this.scanner.throwIfFailed();
      }
      settled = true;
      this.settle.resolve(this.scanner.end());
    } catch (e) {
      settled = true;
      this.settle.reject(e);
      throw e;
    } finally {
      // Stopped early, by a fault or by the caller: release the file or socket.
      if (!sourceDone) await source.return?.();
      if (!settled) {
        this.settle.reject(
          new ParleyError('input.not_read', 'reading stopped before the end of the input', 400, {
            offset: this.scanner.bytesRead,
          }),
        );
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StixElement> {
    for await (const batch of this.batches()) yield* batch;
  }
}

/** A failure of the source itself (missing file, broken pipe), as `input.read_failed`. */
function readFailed(e: unknown, offset: number): ParleyError {
  if (e instanceof ParleyError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new ParleyError(
    'input.read_failed',
    `reading the input failed at byte ${offset}: ${why}`,
    400,
    { offset },
    {
      cause: e,
    },
  );
}
