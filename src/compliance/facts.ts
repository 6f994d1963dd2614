/**
 * What the figures need from an envelope's signed payload, taken when the envelope crosses the
 * node (received in the inbox's transaction, or sent by the outbox), so a figure never has to trust
 * a row that the hotline or the exchange later updates. One shape per envelope type.
 */
import { inflateRawSync } from 'node:zlib';
import { batchObjectsOf } from '../exchange/index.js';
import { tlpOf } from '../stix/index.js';

/** A hotline.message: the signed message fields that decide deadlines and what counts. */
export interface MessageFacts {
  t: 'message';
  id: string;
  kind: string;
  urgency: string;
  created: string;
  exercise: boolean;
  thread: string;
  inReplyTo: string | null;
  escalates: string | null;
  /** The point of contact a ping names. */
  poc: string | null;
}

/** A hotline.ack: which message, by whom, at the POC's stated time. */
export interface AckFacts {
  t: 'ack';
  message: string;
  poc: string;
  acknowledged: string;
}

/** An intel.batch: object versions by "type\tTLP", each group the versions' times (ms). */
export interface BatchFacts {
  t: 'batch';
  count: number;
  groups: Record<string, number[]>;
}

export type Facts = MessageFacts | AckFacts | BatchFacts;

/** The envelope types whose payload the figures read. */
export const FACT_TYPES = ['hotline.message', 'hotline.ack', 'intel.batch'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads the TLP label as TLP 2.0 writes it; objects without a TLP marking are "none". */
export const tlpLabel = (obj: Record<string, unknown>): string => {
  const t = tlpOf(obj as { object_marking_refs?: unknown });
  return t ? `TLP:${t.toUpperCase()}` : 'none';
};

/** The time an object version entered the network at its origin: modified, else created. */
export const versionMs = (obj: Record<string, unknown>): number => {
  const v = str(obj.modified) ?? str(obj.created);
  const ms = v === null ? Number.NaN : Date.parse(v);
  return Number.isFinite(ms) ? ms : 0;
};

/** Facts and subject of a payload, or undefined for a type the figures do not read. */
export function factsOf(
  type: string,
  payload: unknown,
): { subject: string | null; facts: Facts } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (type === 'hotline.message') {
    const m = p.message as Record<string, unknown> | undefined;
    if (!m || typeof m.id !== 'string') return undefined;
    const facts: MessageFacts = {
      t: 'message',
      id: m.id,
      kind: String(m.kind),
      urgency: String(m.urgency),
      created: String(m.created),
      exercise: m.exercise === true,
      thread: String(m.thread),
      inReplyTo: str(m.in_reply_to),
      escalates: str(p.escalates),
      poc: str(p.poc),
    };
    return { subject: m.id, facts };
  }
  if (type === 'hotline.ack') {
    if (typeof p.message !== 'string') return undefined;
    return {
      subject: p.message,
      facts: { t: 'ack', message: p.message, poc: String(p.poc), acknowledged: String(p.acknowledged) },
    };
  }
  if (type === 'intel.batch') {
    // The exchange already holds the objects of a batch it built or opened in this process.
    const known = batchObjectsOf(payload);
    if (known) return { subject: null, facts: batchFacts(known) };
    if (typeof p.data !== 'string') return undefined;
    // The documented wire form (docs/EXCHANGE.md): raw DEFLATE of the JSON entries, base64.
    const entries = JSON.parse(inflateRawSync(Buffer.from(p.data, 'base64')).toString('utf8')) as {
      object?: Record<string, unknown>;
    }[];
    return { subject: null, facts: batchFacts(entries.map((e) => e.object ?? {})) };
  }
  return undefined;
}

export function batchFacts(objects: readonly Record<string, unknown>[]): BatchFacts {
  const groups: Record<string, number[]> = {};
  for (const o of objects) {
    const key = `${String(o.type)}\t${tlpLabel(o)}`;
    const g = groups[key] ?? [];
    g.push(versionMs(o));
    groups[key] = g;
  }
  return { t: 'batch', count: objects.length, groups };
}
