/** Time as a seam, so deadline and expiry logic can be tested without sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): number {
    return this.t;
  }
  set(ms: number | string): void {
    this.t = typeof ms === 'string' ? Date.parse(ms) : ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** RFC 3339 UTC with millisecond precision, as STIX wants for created/modified. */
export const isoMillis = (ms: number): string => new Date(ms).toISOString();
