/**
 * The demo's clock: the system clock shifted by an offset that only grows. The scenario sets it days
 * back, builds the network's history forward in time (agreements, contacts, intel, hotline threads)
 * and ends at offset 0, so deadlines missed in that history are missed now, for real, on every node,
 * and the ledgers' timestamps run forward. A restarted demo runs at offset 0 throughout.
 */
import type { Clock } from '../core/index.js';

export class DemoClock implements Clock {
  private offset: number | undefined;

  now(): number {
    return Date.now() + (this.offset ?? 0);
  }

  /** Moves to `msAgo` before the real time; never backwards once set. */
  at(msAgo: number): void {
    this.offset = this.offset === undefined ? -msAgo : Math.max(this.offset, -msAgo);
  }
}
