/** What the hotline's pieces share: the dependencies, the event emitter, this node's id. */
import { isoMillis } from '../core/index.js';
import type { HotlineDeps } from './deps.js';
import type { HotlineEmitter } from './events.js';

export interface HotlineContext extends HotlineDeps {
  events: HotlineEmitter;
  /** This node's id. */
  self: string;
}

export const nowIso = (c: HotlineContext): string => isoMillis(c.clock.now());
