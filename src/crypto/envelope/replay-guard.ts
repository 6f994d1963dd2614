/**
 * Replay protection: the receiver remembers every accepted envelope id until the envelope expires
 * (after that the time-window check refuses it anyway), so memory is bounded by the lifetime limit.
 */
import type { Clock } from '../../core/index.js';

export interface ReplayGuard {
  /**
   * Records `id` as seen until `expires` (ms since epoch) and says whether it had been seen before.
   * Must be atomic: of two concurrent calls with one id, exactly one gets false.
   */
  seen(id: string, expires: number): Promise<boolean>;
}

/** A ReplayGuard in memory, for tests and single-process nodes; the store supplies a durable one. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly ids = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    private readonly clock: Clock,
    /** Keep ids this much past their expiry, to cover clock skew between nodes. */
    private readonly graceMs = 5 * 60 * 1000,
  ) {}

  async seen(id: string, expires: number): Promise<boolean> {
    const now = this.clock.now();
    if (now >= this.nextSweep) this.sweep(now);
    if (this.ids.has(id)) return true;
    this.ids.set(id, expires);
    return false;
  }

  get size(): number {
    return this.ids.size;
  }

  private sweep(now: number): void {
    for (const [id, exp] of this.ids) if (exp + this.graceMs < now) this.ids.delete(id);
    this.nextSweep = now + 60_000;
  }
}
