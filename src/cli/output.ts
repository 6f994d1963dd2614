/**
 * How the CLI speaks: results to stdout (so they can be piped), progress and errors to stderr.
 * An error is one line naming what failed and why; the stack only with --verbose.
 */
import { isParleyError } from '../core/index.js';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal, so progress bars may redraw in place. */
  isTTY: boolean;
  /** Set by a command that finished but must report failure (e.g. ingest with rejections). */
  exitCode?: number;
}

/** An Io that records what a command printed; for tests. */
export function memoryIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTTY: false };
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

export function formatError(e: unknown, verbose: boolean): string {
  if (isParleyError(e)) {
    const head = `parley: ${e.message} [${e.code}]`;
    return verbose && e.stack ? `${head}\n${e.stack}` : head;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const head = `parley: ${err.message}`;
  return verbose && err.stack ? `${head}\n${err.stack}` : `${head} (run with --verbose for details)`;
}

/** A progress line redrawn in place on a TTY, silent otherwise. */
export function progress(io: Io, label: string): { update(n: number, extra?: string): void; done(): void } {
  let last = 0;
  return {
    update(n, extra) {
      if (!io.isTTY) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\r${label} ${n.toLocaleString('en')}${extra ? ` ${extra}` : ''}\x1b[K`);
    },
    done() {
      if (io.isTTY) process.stderr.write('\r\x1b[K');
    },
  };
}
