/**
 * The directory side of communication checks: whether each party's competent authorities (its
 * directory) crossed the agreement within 60 days of entry into force (Article 5 of the 2015
 * agreement; the first `directory.update` envelope in the ledger), and which published entries are
 * stale as of the report (not confirmed within the agreement's `poc_confirm_days`).
 */
import type { Kysely } from 'kysely';
import { type AgreementDocument, AUTHORITIES_EXCHANGE_DAYS } from '../pact/index.js';
import type { Schema } from '../store/index.js';
import type { Collected } from './collect.js';

const DAY = 86_400_000;

export interface AuthoritiesRow {
  id: string;
  node: string;
  /** First directory exchange (ISO), or null if none yet. */
  exchangedAt: string | null;
  due: string | null;
  /** true on time, false late or missed, null still pending. */
  onTime: boolean | null;
  evidence: number[];
}

export interface StaleRow {
  id: string;
  node: string;
  entries: number;
  stale: number;
  stalePocs: string[];
  evidence: number[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function authorities(
  c: Collected,
  doc: AgreementDocument | undefined,
  inForceAt: string | null,
  asOf: number,
): AuthoritiesRow[] {
  if (!doc) return [];
  const due = inForceAt ? Date.parse(inForceAt) + AUTHORITIES_EXCHANGE_DAYS * DAY : null;
  return doc.parties
    .map((p) => p.node)
    .sort()
    .map((node) => {
      const first = c.directory.get(node);
      const onTime = due === null ? null : first ? first.at <= due : asOf > due ? false : null;
      return {
        id: `authorities/${node}`,
        node,
        exchangedAt: first ? iso(first.at) : null,
        due: due === null ? null : iso(due),
        onTime,
        evidence: first ? [first.ref] : [],
      };
    });
}

export async function staleEntries(
  db: Kysely<Schema>,
  c: Collected,
  doc: AgreementDocument | undefined,
  asOf: number,
): Promise<StaleRow[]> {
  if (!doc) return [];
  const nodes = doc.parties.map((p) => p.node).sort();
  const rows = await db
    .selectFrom('directory_pocs')
    .select(['owner_node', 'poc_id', 'confirmed_on'])
    .where('owner_node', 'in', nodes)
    .orderBy('owner_node')
    .orderBy('poc_id')
    .execute();
  return nodes.map((node) => {
    const mine = rows.filter((r) => r.owner_node === node);
    const stale = mine.filter((r) => Date.parse(r.confirmed_on) + doc.poc_confirm_days * DAY < asOf);
    const last = c.lastDirectory.get(node);
    return {
      id: `stale/${node}`,
      node,
      entries: mine.length,
      stale: stale.length,
      stalePocs: stale.map((r) => r.poc_id),
      evidence: last === undefined ? [] : [last],
    };
  });
}
