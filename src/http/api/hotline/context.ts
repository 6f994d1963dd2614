/** What the hotline API routes need: the hotline's operations and reads, and who is calling. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Hotline } from '../../../hotline/index.js';
import type { RequestAuth } from '../../auth/index.js';
import type { HotlineAction } from './guard.js';

/** The part of the hotline service the API calls (declared here, by its consumer). */
export type HotlineApi = Pick<
  Hotline,
  | 'events'
  | 'send'
  | 'ack'
  | 'respond'
  | 'close'
  | 'message'
  | 'inbox'
  | 'sent'
  | 'thread'
  | 'alerts'
  | 'stats'
  | 'checkDeadlines'
  | 'schedulePings'
  | 'pingSchedule'
  | 'runPings'
  | 'pingResults'
>;

export interface RouteContext {
  app: FastifyInstance;
  hotline: HotlineApi;
  auth: RequestAuth;
  /** onRequest hook allowing the roles of `action`. */
  allow(action: HotlineAction): (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export const PREFIX = '/api/v1/hotline';
