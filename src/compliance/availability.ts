/**
 * Availability: how reachable each peer was from this node, from the outbox's delivery attempts
 * under the agreement (streamed by seq). An attempt reached the peer when it answered (delivered
 * or refused); the others failed (unreachable, 5xx). A delivered item's evidence is the 'out'
 * ledger entry of the envelope the peer accepted. Failed attempts leave no signed trace: they are
 * this node's word alone, and the report says so.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';
import type { Period } from './period.js';
import { type Share, share } from './stats.js';

export interface AvailabilityRow {
  id: string;
  peer: string;
  items: number;
  delivered: number;
  refused: number;
  pending: number;
  attempts: number;
  failedAttempts: number;
  /** Attempts the peer answered, of all attempts. */
  reachability: Share;
  evidence: number[];
}

interface Acc {
  items: number;
  delivered: number;
  refused: number;
  pending: number;
  attempts: number;
  evidence: number[];
}

export interface OutboxScan {
  /** Per period id, then exercise flag, then peer. */
  rows: Map<string, { real: Map<string, Acc>; exercise: Map<string, Acc> }>;
}

/** Streams the agreement's outbox items created before `asOf` into accumulators per period. */
export async function scanOutbox(
  db: Kysely<Schema>,
  agreement: string,
  periods: readonly Period[],
  asOf: number,
  exerciseRefs: ReadonlySet<string>,
  outByHash: ReadonlyMap<string, number>,
): Promise<OutboxScan> {
  const rows: OutboxScan['rows'] = new Map(
    periods.map((p) => [p.id, { real: new Map(), exercise: new Map() }]),
  );
  let cursor = -1;
  for (;;) {
    const page = await db
      .selectFrom('outbox')
      .select(['seq', 'peer', 'ref', 'state', 'attempts', 'created_at', 'envelope_hash'])
      .where('agreement', '=', agreement)
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(2000)
      .execute();
    if (page.length === 0) break;
    cursor = Number(page[page.length - 1]!.seq);
    for (const it of page) {
      const t = Date.parse(it.created_at);
      if (t > asOf) continue;
      const p = periods.find((x) => t >= x.start && t < x.end);
      if (!p) continue;
      const side = rows.get(p.id)![it.ref !== null && exerciseRefs.has(it.ref) ? 'exercise' : 'real'];
      const a = side.get(it.peer) ?? {
        items: 0,
        delivered: 0,
        refused: 0,
        pending: 0,
        attempts: 0,
        evidence: [],
      };
      a.items++;
      a.attempts += it.attempts;
      if (it.state === 'delivered') {
        a.delivered++;
        const idx = it.envelope_hash ? outByHash.get(it.envelope_hash) : undefined;
        if (idx !== undefined) a.evidence.push(idx);
      } else if (it.state === 'refused') a.refused++;
      else if (it.state === 'pending') a.pending++;
      side.set(it.peer, a);
    }
  }
  return { rows };
}

export function availabilityRows(accs: Map<string, Acc>): AvailabilityRow[] {
  return [...accs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([peer, a]) => ({
      id: `availability/${peer}`,
      peer,
      items: a.items,
      delivered: a.delivered,
      refused: a.refused,
      pending: a.pending,
      attempts: a.attempts,
      failedAttempts: a.attempts - a.delivered - a.refused,
      reachability: share(a.delivered + a.refused, a.attempts),
      evidence: a.evidence.sort((x, y) => x - y),
    }));
}
