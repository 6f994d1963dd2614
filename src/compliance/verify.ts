/**
 * `report verify`: checks a report's signature, recomputes every figure from this node's ledger,
 * the facts its envelopes carried and the receipts it keeps (each receipt's signature checked), and
 * lists what disagrees:
 * - a figure whose recomputed value differs (own report: every figure; a peer's report: every figure
 *   about a flow between that peer and this node), with the entries behind it on both sides;
 * - an entry the report names that this node's ledger lacks or logs at another time (a receipt the
 *   reporter holds that this ledger does not match, or the reverse);
 * - a stored row behind a figure that no longer matches its signed evidence (hotline rows against
 *   the envelopes that carried them, kept receipts against their signatures);
 * - the ledger itself (verifyLog: an altered, missing or reordered entry).
 */
import type { Kysely } from 'kysely';
import { invalid } from '../core/index.js';
import { toB64u } from '../crypto/index.js';
import type { VerifyReport } from '../ledger/index.js';
import type { Schema } from '../store/index.js';
import { auditRows, type RowProblem } from './audit.js';
import type { EntryRef } from './collect.js';
import { parsePeriod } from './period.js';
import {
  buildReport,
  type ComplianceReport,
  checkReportSignature,
  ENTRY_FIELDS,
  fromTuple,
  REPORT_FORMAT,
  type ReportDeps,
} from './report.js';

export interface FigureDifference {
  figure: string;
  field: string;
  reported: unknown;
  recomputed: unknown;
  /** Entries behind the figure in the report (the reporter's ledger) and here. */
  reportedEntries: EntryRef[];
  localEntries: EntryRef[];
}

export interface EntryDisagreement {
  /** The reporter's entry. */
  entry: EntryRef;
  problem: 'missing_here' | 'time_differs';
  message: string;
  local?: EntryRef;
}

export interface VerifyResult {
  ok: boolean;
  signer: string;
  signatureOk: boolean;
  ledger: VerifyReport;
  figures: FigureDifference[];
  entries: EntryDisagreement[];
  rows: RowProblem[];
}

export interface VerifyDeps extends ReportDeps {
  peerKey(node: string): Promise<string | undefined>;
  verifyLedger(): Promise<VerifyReport>;
}

const SECTIONS = [
  ['real', 'responsiveness'],
  ['real', 'pings'],
  ['real', 'exchange'],
  ['real', 'reciprocity'],
  ['real', 'availability'],
  ['exercise', 'responsiveness'],
  ['exercise', 'pings'],
  ['exercise', 'availability'],
  ['checks', 'authorities'],
  ['checks', 'stale'],
] as const;

type Row = { id: string; evidence: number[]; from?: string; to?: string } & Record<string, unknown>;

function rowsOf(r: ComplianceReport, s: (typeof SECTIONS)[number]): Row[] {
  const sec = (r as unknown as Record<string, Record<string, Row[]>>)[s[0]];
  const rows = sec?.[s[1]];
  return Array.isArray(rows) ? rows : [];
}

function parseReport(v: unknown): ComplianceReport {
  const r = v as Partial<ComplianceReport> | null;
  if (!r || typeof r !== 'object' || r.format !== REPORT_FORMAT)
    throw invalid('compliance.bad_report', `report: format must be "${REPORT_FORMAT}"`, { field: 'format' });
  for (const f of ['node', 'publicKey', 'agreement', 'asOf', 'sig'] as const)
    if (typeof r[f] !== 'string')
      throw invalid('compliance.bad_report', `report: ${f} must be a string`, { field: f });
  if (!r.period || typeof r.period.id !== 'string')
    throw invalid('compliance.bad_report', 'report: period.id must be a string', { field: 'period' });
  if (
    !Array.isArray(r.entries) ||
    !r.entries.every((t) => Array.isArray(t) && t.length === ENTRY_FIELDS.length)
  )
    throw invalid('compliance.bad_report', `report: entries must be a list of [${ENTRY_FIELDS.join(', ')}]`, {
      field: 'entries',
    });
  return r as ComplianceReport;
}

/** Does a row concern only flows between `a` and `b` (so both can compute it)? */
const between = (row: Row, a: string, b: string): boolean => {
  const id = row.id;
  const m = /^[a-z]+\/([^/>]+)>([^/]+)/.exec(id);
  if (!m) return false;
  const ends = [m[1], m[2]];
  return ends.includes(a) && ends.includes(b) && m[1] !== m[2];
};

export async function verifyReport(d: VerifyDeps, input: unknown): Promise<VerifyResult> {
  const r = parseReport(input);
  const own = r.node === d.self;
  const expectedKey = own ? toB64u(d.signing.publicKey) : await d.peerKey(r.node);
  const keyOk = expectedKey === r.publicKey;
  const signatureOk = keyOk && checkReportSignature(r, r.publicKey);
  const ledger = await d.verifyLedger();
  const peerKeys = new Map<string, string>();
  const period = parsePeriod(r.period.id);
  const built = await buildReport(d, {
    agreement: r.agreement,
    period,
    trend: r.trend?.length ? r.trend.length - 1 : 0,
    asOf: Date.parse(r.asOf),
    size: own ? r.ledger?.size : undefined,
    peerKeys: await keysFor(d, r, peerKeys),
  });
  const mine = built.report as ComplianceReport;
  const reportedEntries = new Map(r.entries.map((t) => [t[0], fromTuple(t)]));
  const figures: FigureDifference[] = [];
  for (const s of SECTIONS) {
    // Reciprocity is one node's view (its shared against its received); the flows behind it compare.
    if (!own && s[1] === 'reciprocity') continue;
    const theirs = rowsOf(r, s);
    const ours = new Map(rowsOf(mine, s).map((x) => [x.id, x]));
    const consider = own ? theirs : theirs.filter((x) => between(x, r.node, d.self));
    const seen = new Set<string>();
    for (const t of consider) {
      seen.add(t.id);
      const o = ours.get(t.id);
      for (const field of Object.keys(t)) {
        if (field === 'evidence' || field === 'id') continue;
        const a = JSON.stringify(t[field]);
        const b = o ? JSON.stringify(o[field]) : undefined;
        if (a !== b)
          figures.push({
            figure: t.id,
            field,
            reported: t[field],
            recomputed: o ? o[field] : null,
            reportedEntries: t.evidence.map((i) => reportedEntries.get(i)!).filter(Boolean),
            localEntries: (o?.evidence ?? []).map((i) => built.collected.entries.get(i)!).filter(Boolean),
          });
      }
    }
    // A figure this node can compute that the report leaves out.
    for (const [id, o] of ours)
      if (!seen.has(id) && (own || between(o, r.node, d.self)))
        figures.push({
          figure: id,
          field: '*',
          reported: null,
          recomputed: 'present',
          reportedEntries: [],
          localEntries: o.evidence.map((i) => built.collected.entries.get(i)!).filter(Boolean),
        });
  }
  const entries = own ? [] : await crossCheck(d.db, r, d.self);
  const rows = own ? await auditRows(d.db, built.collected) : [];
  for (const p of built.collected.receiptProblems)
    rows.push({
      table: 'ledger_receipts',
      key: `${p.envelopeHash}/${p.recipient}`,
      field: 'receipt',
      message: p.message,
      entry: p.idx,
    });
  return {
    ok: signatureOk && ledger.ok && figures.length === 0 && entries.length === 0 && rows.length === 0,
    signer: r.node,
    signatureOk,
    ledger,
    figures,
    entries,
    rows,
  };
}

async function keysFor(d: VerifyDeps, r: ComplianceReport, out: Map<string, string>) {
  const nodes = new Set<string>([r.node, ...r.entries.map((t) => t[3])]);
  const ag = await d.agreement(r.agreement);
  for (const p of ag.doc?.parties ?? []) nodes.add(p.node);
  for (const n of nodes) {
    const k = await d.peerKey(n);
    if (k) out.set(n, k);
  }
  return out;
}

/** Each entry of the reporter's ledger with this node as the peer must have its mirror here. */
async function crossCheck(
  db: Kysely<Schema>,
  r: ComplianceReport,
  self: string,
): Promise<EntryDisagreement[]> {
  const out: EntryDisagreement[] = [];
  const mineAll = r.entries.map(fromTuple).filter((e) => e.peer === self);
  for (let i = 0; i < mineAll.length; i += 500) {
    const part = mineAll.slice(i, i + 500);
    const local = await db
      .selectFrom('ledger_entries')
      .select(['idx', 'envelope_hash', 'direction', 'peer_node_id', 'kind', 'time'])
      .where(
        'envelope_hash',
        'in',
        part.map((e) => e.hash),
      )
      .execute();
    const receipts = await db
      .selectFrom('ledger_receipts')
      .select(['envelope_hash', 'received'])
      .where(
        'envelope_hash',
        'in',
        part.map((e) => e.hash),
      )
      .where('recipient', '=', r.node)
      .execute();
    const kept = new Map(receipts.map((x) => [x.envelope_hash, x.received]));
    for (const e of part) {
      const want = e.direction === 'out' ? 'in' : 'out';
      const l = local.find(
        (x) => x.envelope_hash === e.hash && x.direction === want && x.peer_node_id === r.node,
      );
      if (!l) {
        out.push({
          entry: e,
          problem: 'missing_here',
          message:
            `${r.node} logged envelope ${e.hash} (${e.kind}) ${e.direction === 'out' ? 'sent to' : 'received from'} ` +
            `${self} at its entry ${e.idx}, but this ledger has no '${want}' entry for it`,
        });
        continue;
      }
      const localRef: EntryRef = {
        idx: l.idx,
        hash: l.envelope_hash,
        direction: l.direction as 'in' | 'out',
        peer: l.peer_node_id,
        kind: l.kind,
        time: l.time,
        receipt: null,
      };
      // Sent by the reporter: its receipt from here must carry the time this ledger logged it.
      if (e.direction === 'out' && e.receipt !== null && e.receipt !== l.time)
        out.push({
          entry: e,
          local: localRef,
          problem: 'time_differs',
          message: `${r.node} holds a receipt for ${e.hash} saying received ${e.receipt}; this ledger logged it at ${l.time} (entry ${l.idx})`,
        });
      // Received by the reporter: the receipt kept here must carry the reporter's logged time.
      const held = kept.get(e.hash);
      if (e.direction === 'in' && held !== undefined && held !== e.time)
        out.push({
          entry: e,
          local: localRef,
          problem: 'time_differs',
          message: `${r.node} logged ${e.hash} at ${e.time}; the receipt kept here says ${held}`,
        });
    }
  }
  return out;
}
