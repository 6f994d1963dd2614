/**
 * The hotline's rows against the signed evidence the figures rest on: every message of the
 * agreement this node sent or received, and every recipient state, must say what the envelopes
 * that carried them said (kind, urgency, created, exercise) and what the ledger and receipts time
 * (received, acknowledged, responded). A row edited outside the protocol is named here. Times may
 * differ by the few milliseconds between a handler's clock reading and the ledger's in one
 * transaction; more than a second is a change.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';
import type { Collected } from './collect.js';

const SLACK_MS = 1000;

export interface RowProblem {
  table: string;
  /** The row's key, e.g. "msg--.../cert-b". */
  key: string;
  field: string;
  message: string;
  /** The ledger entry the evidence comes from, if one. */
  entry?: number;
}

const ms = (v: string | null) => (v === null ? null : Date.parse(v));
const iso = (v: number | null) => (v === null ? 'none' : new Date(v).toISOString());
const near = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= SLACK_MS;

export async function auditRows(db: Kysely<Schema>, c: Collected): Promise<RowProblem[]> {
  const out: RowProblem[] = [];
  const agreements = new Set<string>();
  const byMsg = new Map<string, string[]>();
  for (const [k, m] of c.messages) {
    const g = byMsg.get(m.id) ?? [];
    g.push(k);
    byMsg.set(m.id, g);
  }
  const ids = [...byMsg.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const msgs = await db
      .selectFrom('hotline_messages')
      .select(['id', 'kind', 'urgency', 'created', 'exercise', 'agreement', 'received_at', 'direction'])
      .where('id', 'in', part)
      .execute();
    const recips = await db
      .selectFrom('hotline_recipients')
      .select(['message_id', 'recipient', 'acknowledged_at', 'responded_at'])
      .where('message_id', 'in', part)
      .execute();
    for (const row of msgs) {
      agreements.add(row.agreement);
      const obs = c.messages.get((byMsg.get(row.id) ?? [])[0] ?? '')!;
      if (!obs) continue;
      const ref = obs.refs[0];
      const check = (field: string, stored: unknown, signed: unknown) => {
        if (stored !== signed)
          out.push({
            table: 'hotline_messages',
            key: row.id,
            field,
            message: `hotline_messages ${row.id} ${field} is ${String(stored)} but the signed envelope (ledger entry ${ref}) says ${String(signed)}`,
            entry: ref,
          });
      };
      check('kind', row.kind, obs.kind);
      check('urgency', row.urgency, obs.urgency);
      check('created', Date.parse(row.created), obs.created);
      check('exercise', row.exercise === 1, obs.exercise);
      if (row.direction === 'in' && !near(ms(row.received_at), obs.receivedAt))
        out.push({
          table: 'hotline_messages',
          key: row.id,
          field: 'received_at',
          message: `hotline_messages ${row.id} received_at is ${row.received_at} but ledger entry ${ref} logged it at ${iso(obs.receivedAt)}`,
          entry: ref,
        });
    }
    for (const r of recips) {
      const obs = c.messages.get(`${r.message_id}>${r.recipient}`);
      if (!obs) continue;
      const last = obs.refs[obs.refs.length - 1];
      for (const [field, stored, signed] of [
        ['acknowledged_at', r.acknowledged_at, obs.ackAt],
        ['responded_at', r.responded_at, obs.respondedAt],
      ] as const) {
        // The receiving side's evidence of its own answer waits for the sender's receipt.
        if (obs.to === c.self && (stored === null || signed === null)) continue;
        if (!near(ms(stored), signed))
          out.push({
            table: 'hotline_recipients',
            key: `${r.message_id}/${r.recipient}`,
            field,
            message: `hotline_recipients ${r.message_id}/${r.recipient} ${field} is ${stored ?? 'none'} but the ledger-bound evidence says ${iso(signed)}`,
            entry: last,
          });
      }
    }
  }
  return out;
}
