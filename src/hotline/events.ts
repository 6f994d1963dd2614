/**
 * What the hotline announces, for a live view (the HTTP layer serves these as server-sent events).
 * Events are emitted only for what has committed: inbound handlers and outbox listeners run inside
 * someone else's transaction, so their events wait until a read outside it sees the change.
 */
import { EventEmitter } from 'node:events';
import type { RecipientState } from './types.js';

export interface HotlineEvents {
  /** A new inbound message (first delivery only). */
  message: { id: string; thread: string; kind: string; from: string; exercise: boolean };
  /** One recipient's state of one message moved (on either side). */
  state: {
    message: string;
    thread: string;
    recipient: string;
    state: RecipientState;
    at: string;
    /** For acknowledgements: within the deadline (true), over it (false), or no deadline (null). */
    within?: boolean | null;
    error?: string;
  };
  /** A deadline passed without the acknowledgement or response it asked for. */
  deadline: {
    message: string;
    thread: string;
    recipient: string;
    which: 'acknowledge' | 'respond';
    due: string;
  };
  /** The escalation a missed acknowledgement deadline fired, in its documented order. */
  escalation: {
    message: string;
    thread: string;
    recipient: string;
    dutyAlert: string;
    backupAlert: string;
    backupPoc: string | null;
    from: string;
    /** The channel the thread moved to, or null at the top of the ladder. */
    to: string | null;
    resent: string | null;
  };
  /** An alert raised here or received from a peer. */
  alert: { id: string; kind: string; direction: string; node: string; poc: string | null; reason: string };
  /** A ping test's outcome became known. */
  ping: { id: string; owner: string; poc: string; outcome: 'passed' | 'failed'; ackMs: number | null };
}

export type HotlineEventName = keyof HotlineEvents;

/** A typed face over Node's EventEmitter. */
export class HotlineEmitter {
  private readonly ee = new EventEmitter();

  on<K extends HotlineEventName>(name: K, fn: (e: HotlineEvents[K]) => void): this {
    this.ee.on(name, fn);
    return this;
  }

  off<K extends HotlineEventName>(name: K, fn: (e: HotlineEvents[K]) => void): this {
    this.ee.off(name, fn);
    return this;
  }

  once<K extends HotlineEventName>(name: K, fn: (e: HotlineEvents[K]) => void): this {
    this.ee.once(name, fn);
    return this;
  }

  emit<K extends HotlineEventName>(name: K, e: HotlineEvents[K]): void {
    // A listener's failure is its own: it never undoes what the hotline recorded.
    try {
      this.ee.emit(name, e);
    } catch {}
  }

  /**
   * Emits once `committed()` reads true outside the transaction that made the change, retrying a
   * few times (the transaction ends after the hook that scheduled this returns); gives up silently
   * if it never commits (a rolled back delivery announces nothing).
   */
  afterCommit<K extends HotlineEventName>(
    committed: () => Promise<boolean>,
    name: K,
    e: HotlineEvents[K],
  ): void {
    const delays = [0, 5, 20, 100, 400, 2_000];
    const attempt = (i: number) => {
      setTimeout(() => {
        committed()
          .then((ok) => {
            if (ok) this.emit(name, e);
            else if (i + 1 < delays.length) attempt(i + 1);
          })
          .catch(() => {});
      }, delays[i]).unref();
    };
    attempt(0);
  }
}
