/**
 * Builds the compliance report of one agreement and period, and signs it. One pass over the ledger
 * (collect.ts) serves the period and the earlier periods of the trend. The report is signed by the
 * node's Ed25519 key over "parley/compliance/report/v1\n" || RFC 8785 canonical JSON of every other
 * field, so a party can hand it over and the other side can check who made it.
 */
import type { Kysely } from 'kysely';
import { isoMillis } from '../core/index.js';
import {
  canonicalBytes,
  fromB64u,
  type KeyPair,
  sign,
  signingInput,
  toB64u,
  verify,
} from '../crypto/index.js';
import { ACK_KINDS } from '../hotline/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Schema } from '../store/index.js';
import { type AvailabilityRow, availabilityRows, scanOutbox } from './availability.js';
import { type Collected, collect, type EntryRef, type MessageObs } from './collect.js';
import { type AuthoritiesRow, authorities, type StaleRow, staleEntries } from './directory.js';
import { type FlowRow, flows, type ReciprocityRow, reciprocity } from './exchange.js';
import { earlierPeriods, type Period } from './period.js';
import { type PingRow, pings, type ResponsivenessRow, responsiveness } from './responsiveness.js';
import { summarise } from './stats.js';

export const REPORT_FORMAT = 'parley-compliance-report/1';
export const REPORT_CONTEXT = 'parley/compliance/report/v1';

/** An entry as the report lists it: tuples keep a year's report small and quick to sign. */
export const ENTRY_FIELDS = ['idx', 'hash', 'direction', 'peer', 'kind', 'time', 'receipt'] as const;
export type EntryTuple = [number, string, 'in' | 'out', string, string, string, string | null];
export const toTuple = (e: EntryRef): EntryTuple => [
  e.idx,
  e.hash,
  e.direction,
  e.peer,
  e.kind,
  e.time,
  e.receipt,
];
export const fromTuple = (t: EntryTuple): EntryRef => ({
  idx: t[0],
  hash: t[1],
  direction: t[2],
  peer: t[3],
  kind: t[4],
  time: t[5],
  receipt: t[6],
});

export interface Measures {
  responsiveness: ResponsivenessRow[];
  pings: PingRow[];
  exchange: FlowRow[];
  reciprocity: ReciprocityRow[];
  availability: AvailabilityRow[];
}

export interface TrendPoint {
  period: string;
  messages: number;
  medianAckMs: number | null;
  ackWithinShare: number | null;
  pingsAcknowledged: number;
  pingsSent: number;
  objectsShared: number;
  objectsReceived: number;
  reachability: number | null;
}

export interface ComplianceReport {
  format: typeof REPORT_FORMAT;
  node: string;
  publicKey: string;
  agreement: string;
  period: { id: string; start: string; end: string };
  /** Evidence after this instant is not counted; deadlines are judged as of it. */
  asOf: string;
  ledger: { size: number; treeHead: unknown };
  real: Measures;
  /** Exercise traffic, reported apart and never mixed into `real`. */
  exercise: Pick<Measures, 'responsiveness' | 'pings' | 'availability'>;
  checks: { authorities: AuthoritiesRow[]; stale: StaleRow[] };
  trend: TrendPoint[];
  /** The fields of each `entries` tuple, in order. */
  entryFields: typeof ENTRY_FIELDS;
  /** Every ledger entry a figure's `evidence` names, in index order, as tuples (see `entryFields`). */
  entries: EntryTuple[];
  sig: string;
}

export interface ReportDeps {
  db: Kysely<Schema>;
  self: string;
  signing: KeyPair;
  agreement(id: string): Promise<{ doc?: AgreementDocument; inForceAt: string | null }>;
  ledgerSize(): Promise<number>;
  treeHead(): Promise<unknown>;
  now(): number;
}

export interface BuildOptions {
  agreement: string;
  period: Period;
  /** Earlier periods in the trend (default 4). */
  trend?: number;
  asOf?: number;
  size?: number;
  peerKeys?: Map<string, string>;
}

export interface Built {
  report: Omit<ComplianceReport, 'sig'>;
  collected: Collected;
}

const inPeriod = (p: Period, t: number) => t >= p.start && t < p.end;

/** Computes every measure; `sign` turns the result into the report handed over. */
export async function buildReport(d: ReportDeps, o: BuildOptions): Promise<Built> {
  const asOf = o.asOf ?? d.now();
  const size = o.size ?? (await d.ledgerSize());
  const ag = await d.agreement(o.agreement);
  const earlier = earlierPeriods(o.period, o.trend ?? 4);
  const all = [...earlier, o.period];
  const c = await collect(d.db, { self: d.self, agreement: o.agreement, asOf, size, peerKeys: o.peerKeys });
  const msgs = [...c.messages.values()];
  const exerciseIds = new Set(msgs.filter((m) => m.exercise).map((m) => m.id));
  const outbox = await scanOutbox(d.db, o.agreement, all, asOf, exerciseIds, c.outByHash);
  const measuresOf = (p: Period) => {
    const ms = msgs.filter((m) => inPeriod(p, m.created));
    const real = ms.filter((m) => !m.exercise);
    const ex = ms.filter((m) => m.exercise);
    const fl = flows(c.batches.filter((b) => inPeriod(p, b.crossed)));
    const acc = outbox.rows.get(p.id)!;
    return {
      real: {
        responsiveness: responsiveness(real, ag.doc, asOf),
        pings: pings(real, ag.doc, asOf),
        exchange: fl,
        reciprocity: reciprocity(d.self, fl),
        availability: availabilityRows(acc.real),
      },
      exercise: {
        responsiveness: responsiveness(ex, ag.doc, asOf),
        pings: pings(ex, ag.doc, asOf),
        availability: availabilityRows(acc.exercise),
      },
    };
  };
  const main = measuresOf(o.period);
  const trend = all.map((p) => {
    const acks = msgs
      .filter((m) => !m.exercise && m.kind !== 'ping' && inPeriod(p, m.created) && m.ackAt !== null)
      .filter((m) => ACK_KINDS.has(m.kind as never))
      .map((m) => m.ackAt! - m.created);
    return trendPoint(p.id, d.self, (p === o.period ? main : measuresOf(p)).real, summarise(acks).median);
  });
  const referenced = new Set<number>();
  const mark = (rows: { evidence: number[] }[]) => {
    for (const r of rows) for (const i of r.evidence) referenced.add(i);
  };
  for (const m of [main.real, main.exercise]) for (const rows of Object.values(m)) mark(rows);
  const checks = {
    authorities: authorities(c, ag.doc, ag.inForceAt, asOf),
    stale: await staleEntries(d.db, c, ag.doc, asOf),
  };
  mark(checks.authorities);
  mark(checks.stale);
  const entries = [...referenced]
    .sort((a, b) => a - b)
    .map((i) => c.entries.get(i)!)
    .filter(Boolean);
  return {
    collected: c,
    report: {
      format: REPORT_FORMAT,
      node: d.self,
      publicKey: toB64u(d.signing.publicKey),
      agreement: o.agreement,
      period: { id: o.period.id, start: isoMillis(o.period.start), end: isoMillis(o.period.end) },
      asOf: isoMillis(asOf),
      ledger: { size, treeHead: await d.treeHead() },
      real: main.real,
      exercise: main.exercise,
      checks,
      trend,
      entryFields: ENTRY_FIELDS,
      entries: entries.map(toTuple),
    },
  };
}

function trendPoint(period: string, self: string, m: Measures, medianAckMs: number | null): TrendPoint {
  const parties = m.responsiveness.filter((r) => r.from === '*');
  const messages = parties.reduce((s, r) => s + r.messages, 0);
  const within = parties.reduce((s, r) => s + r.ackWithinDeadline.within, 0);
  const of = parties.reduce((s, r) => s + r.ackWithinDeadline.of, 0);
  const attempts = m.availability.reduce((s, r) => s + r.reachability.of, 0);
  const answered = m.availability.reduce((s, r) => s + r.reachability.within, 0);
  return {
    period,
    messages,
    medianAckMs,
    ackWithinShare: of === 0 ? null : Math.round((within / of) * 10_000) / 10_000,
    pingsAcknowledged: m.pings.reduce((s, r) => s + r.acknowledged, 0),
    pingsSent: m.pings.reduce((s, r) => s + r.sent, 0),
    objectsShared: m.exchange.filter((r) => r.from === self).reduce((s, r) => s + r.objects, 0),
    objectsReceived: m.exchange.filter((r) => r.to === self).reduce((s, r) => s + r.objects, 0),
    reachability: attempts === 0 ? null : Math.round((answered / attempts) * 10_000) / 10_000,
  };
}

/** Signs a built report with the node's key. */
export function signReport(body: Omit<ComplianceReport, 'sig'>, key: KeyPair): ComplianceReport {
  const sig = sign(key, signingInput(REPORT_CONTEXT, canonicalBytes(body)));
  return { ...body, sig: toB64u(sig) };
}

/** True when `report.sig` verifies under `publicKey` (base64url). */
export function checkReportSignature(report: ComplianceReport, publicKey: string): boolean {
  const { sig, ...body } = report;
  try {
    const key = fromB64u(publicKey);
    const signature = fromB64u(sig);
    if (!key || !signature) return false;
    return verify(key, signingInput(REPORT_CONTEXT, canonicalBytes(body)), signature);
  } catch {
    return false;
  }
}

export type { MessageObs };
