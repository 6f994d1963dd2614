/**
 * One streaming pass over the ledger entries of an agreement (pages of 2,000 by index, a cursor,
 * never a whole table), joined page by page with the facts each envelope carried and the receipts
 * peers signed for it. Produces observations: one per (hotline message, recipient) this node is a
 * party to, one per batch of objects, the first directory exchange of each party. Every observed
 * time comes from a ledger entry (this node's signed log) or a peer's signed receipt.
 */
import { type Kysely, sql } from 'kysely';
import { checkReceipt, type Receipt } from '../ledger/index.js';
import type { Schema } from '../store/index.js';
import type { AckFacts, BatchFacts, Facts, MessageFacts } from './facts.js';

const PAGE = 2000;

/** A ledger entry a figure rests on, as the report lists it. */
export interface EntryRef {
  idx: number;
  hash: string;
  direction: 'in' | 'out';
  peer: string;
  kind: string;
  time: string;
  /** For an 'out' entry: the `received` time of the peer's signed receipt, if one is kept. */
  receipt: string | null;
}

/** A message at one recipient: sender `from`, responder `to`. Times are ms since the epoch. */
export interface MessageObs {
  id: string;
  from: string;
  to: string;
  kind: string;
  urgency: string;
  created: number;
  exercise: boolean;
  escalates: boolean;
  poc: string | null;
  receivedAt: number | null;
  ackAt: number | null;
  respondedAt: number | null;
  refs: number[];
}

export interface BatchObs {
  from: string;
  to: string;
  at: number | null;
  crossed: number;
  facts: BatchFacts;
  ref: number;
}

export interface ReceiptProblem {
  envelopeHash: string;
  recipient: string;
  idx: number;
  message: string;
}

export interface Collected {
  self: string;
  messages: Map<string, MessageObs>;
  batches: BatchObs[];
  /** First directory.update that crossed, per party (this node: its first sent). */
  directory: Map<string, { at: number; ref: number }>;
  /** The latest directory.update received from each party. */
  lastDirectory: Map<string, number>;
  entries: Map<number, EntryRef>;
  /** Envelope hash of each 'out' entry -> its index (availability evidence). */
  outByHash: Map<string, number>;
  receiptProblems: ReceiptProblem[];
  /** Entries read. */
  scanned: number;
}

export interface CollectOptions {
  self: string;
  agreement: string;
  /** Entries after this instant are not read (the report's "as of"). */
  asOf: number;
  /** Only entries below this index (the ledger size the report was made at). */
  size?: number;
  /**
   * Check every receipt's signature against the peer's key and use its signed `received`, naming
   * kept rows that do not agree (report verify); otherwise the indexed `received` column is used.
   */
  peerKeys?: Map<string, string>;
}

const toMs = (iso: string) => Date.parse(iso);

export async function collect(db: Kysely<Schema>, o: CollectOptions): Promise<Collected> {
  const c: Collected = {
    self: o.self,
    messages: new Map(),
    batches: [],
    directory: new Map(),
    lastDirectory: new Map(),
    entries: new Map(),
    outByHash: new Map(),
    receiptProblems: [],
    scanned: 0,
  };
  const obs = (id: string, to: string): MessageObs => {
    const k = `${id}>${to}`;
    let m = c.messages.get(k);
    if (!m) {
      m = {
        id,
        from: '',
        to,
        kind: '',
        urgency: '',
        created: Number.NaN,
        exercise: false,
        escalates: false,
        poc: null,
        receivedAt: null,
        ackAt: null,
        respondedAt: null,
        refs: [],
      };
      c.messages.set(k, m);
    }
    return m;
  };
  let cursor = -1;
  for (;;) {
    // One query per page: each entry with the facts its envelope carried and, for a sent one, the
    // peer's receipt (its signed JSON only when receipts are to be checked).
    let q = db
      .selectFrom('ledger_entries as e')
      .leftJoin('compliance_evidence as ev', (j) =>
        j
          .onRef('ev.envelope_hash', '=', 'e.envelope_hash')
          .onRef('ev.direction', '=', 'e.direction')
          .onRef('ev.peer', '=', 'e.peer_node_id'),
      )
      .leftJoin('ledger_receipts as r', (j) =>
        j
          .onRef('r.envelope_hash', '=', 'e.envelope_hash')
          .onRef('r.recipient', '=', 'e.peer_node_id')
          .on('e.direction', '=', 'out'),
      )
      .select([
        'e.idx',
        'e.envelope_hash',
        'e.direction',
        'e.peer_node_id',
        'e.kind',
        'e.time',
        'ev.facts',
        'r.received',
        o.peerKeys ? 'r.receipt' : sql<null>`null`.as('receipt'),
      ])
      .where('e.agreement_id', '=', o.agreement)
      .where('e.idx', '>', cursor)
      .orderBy('e.idx')
      .limit(PAGE);
    if (o.size !== undefined) q = q.where('e.idx', '<', o.size);
    const rows = await q.execute();
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.idx;
    c.scanned += rows.length;
    for (const e of rows) {
      const t = toMs(e.time);
      if (t > o.asOf) continue;
      const dir = e.direction as 'in' | 'out';
      let receivedAt: number | null = null;
      let receiptIso: string | null = null;
      if (dir === 'out') {
        c.outByHash.set(e.envelope_hash, e.idx);
        if (e.received !== null) {
          receiptIso = e.received;
          if (o.peerKeys)
            receiptIso = checkedReceived(c, o.peerKeys, e, {
              received: e.received,
              receipt: e.receipt ?? '',
            });
          if (receiptIso !== null && toMs(receiptIso) <= o.asOf) receivedAt = toMs(receiptIso);
          else receiptIso = null;
        }
      }
      const ref: EntryRef = {
        idx: e.idx,
        hash: e.envelope_hash,
        direction: dir,
        peer: e.peer_node_id,
        kind: e.kind,
        time: e.time,
        receipt: receiptIso,
      };
      const f = e.facts === null ? undefined : (JSON.parse(e.facts) as Facts);
      const used = apply(c, obs, e.kind, dir, e.peer_node_id, t, receivedAt, e.idx, f);
      // 'out' entries back availability figures (each delivered outbox item) whatever they carry.
      if (used || dir === 'out') c.entries.set(e.idx, ref);
    }
  }
  // A recipient row without its message (an ack of a message outside the agreement) counts nowhere.
  for (const [k, m] of c.messages) if (!m.from) c.messages.delete(k);
  return c;
}

/** The receipt's signed `received`, or null (and a named problem) when the kept row does not check. */
function checkedReceived(
  c: Collected,
  keys: Map<string, string>,
  e: { idx: number; envelope_hash: string; peer_node_id: string },
  r: { received: string; receipt: string },
): string | null {
  const problem = (message: string) => {
    c.receiptProblems.push({ envelopeHash: e.envelope_hash, recipient: e.peer_node_id, idx: e.idx, message });
    return null;
  };
  const key = keys.get(e.peer_node_id);
  if (!key) return problem(`no signing key known for ${e.peer_node_id}`);
  let parsed: Receipt;
  try {
    parsed = JSON.parse(r.receipt) as Receipt;
  } catch {
    return problem('the kept receipt is not JSON');
  }
  const ok = checkReceipt(parsed, key, e.envelope_hash);
  if (!ok.ok) return problem(`the kept receipt does not check: ${ok.reason} [${ok.code}]`);
  if (parsed.received !== r.received)
    return problem(
      `ledger_receipts.received says ${r.received} but the signed receipt says ${parsed.received}`,
    );
  return parsed.received;
}

function apply(
  c: Collected,
  obs: (id: string, to: string) => MessageObs,
  kind: string,
  dir: 'in' | 'out',
  peer: string,
  t: number,
  receivedAt: number | null,
  idx: number,
  f: Facts | undefined,
): boolean {
  if (kind === 'directory.update') {
    const party = dir === 'in' ? peer : c.self;
    if (!c.directory.has(party)) c.directory.set(party, { at: t, ref: idx });
    if (dir === 'in') c.lastDirectory.set(party, idx);
    return true;
  }
  if (!f) return false;
  if (f.t === 'message') return applyMessage(c, obs, f, dir, peer, t, receivedAt, idx);
  if (f.t === 'ack') return applyAck(obs, f, dir, peer, t, receivedAt, idx, c.self);
  c.batches.push({
    from: dir === 'in' ? peer : c.self,
    to: dir === 'in' ? c.self : peer,
    // When the receiving side logged it: this node's entry, or the peer's signed receipt.
    at: dir === 'in' ? t : receivedAt,
    crossed: t,
    facts: f,
    ref: idx,
  });
  return true;
}

function applyMessage(
  c: Collected,
  obs: (id: string, to: string) => MessageObs,
  f: MessageFacts,
  dir: 'in' | 'out',
  peer: string,
  t: number,
  receivedAt: number | null,
  idx: number,
): boolean {
  const to = dir === 'out' ? peer : c.self;
  const m = obs(f.id, to);
  if (!m.from) {
    Object.assign(m, {
      from: dir === 'out' ? c.self : peer,
      kind: f.kind,
      urgency: f.urgency,
      created: toMs(f.created),
      exercise: f.exercise,
      escalates: f.escalates !== null,
      poc: f.poc,
      receivedAt: dir === 'out' ? receivedAt : t,
    });
    m.refs.push(idx);
  }
  // An answer: the responder's response reached the asker when the asker logged it.
  if (f.kind === 'response' && f.inReplyTo) {
    const asked = obs(f.inReplyTo, dir === 'out' ? c.self : peer);
    const at = dir === 'out' ? receivedAt : t;
    if (at !== null && asked.respondedAt === null) {
      asked.respondedAt = at;
      asked.refs.push(idx);
    }
  }
  return true;
}

function applyAck(
  obs: (id: string, to: string) => MessageObs,
  f: AckFacts,
  dir: 'in' | 'out',
  peer: string,
  t: number,
  receivedAt: number | null,
  idx: number,
  self: string,
): boolean {
  const m = obs(f.message, dir === 'in' ? peer : self);
  // As the hotline times it: the POC's stated time, never later than its arrival at the sender.
  const arrived = dir === 'in' ? t : receivedAt;
  if (arrived === null || m.ackAt !== null) return true;
  const stated = toMs(f.acknowledged);
  m.ackAt = Number.isFinite(stated) ? Math.min(stated, arrived) : arrived;
  m.refs.push(idx);
  return true;
}
