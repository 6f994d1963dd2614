/**
 * A ledger entry and its leaf bytes. The leaf is the RFC 8785 canonical JSON (the `canonicalize`
 * package) of the entry, UTF-8 encoded, with the version `v` and the entry's own `index` inside: an
 * entry moved to another position no longer hashes to the leaf stored there, so reordering is caught
 * at the exact index. Example leaf (keys sorted by RFC 8785):
 *   {"agreementId":"a-1","direction":"in","envelopeHash":"<64 hex>","index":0,"kind":"message",
 *    "peerNodeId":"node-b","time":"2026-01-01T00:00:00.000Z","v":1}
 */
import canonicalize from 'canonicalize';
import { isoMillis } from '../core/clock.js';
import { invalid } from '../core/errors.js';
import { leafHashOfText } from './hash.js';
import { isTreeIndex } from './tree-math.js';

export type Direction = 'in' | 'out';

/** What a caller appends; the ledger assigns the index (and the time, from its clock, if absent). */
export interface EntryInput {
  /** SHA-256 of the envelope's canonical bytes, lower-case hex. */
  envelopeHash: string;
  direction: Direction;
  /** The other node: the sender of an 'in' envelope, the recipient of an 'out' one. */
  peerNodeId: string;
  /** The agreement the envelope travels under, or null (e.g. a ping before any agreement). */
  agreementId: string | null;
  /** What the envelope carries: 'message', 'receipt', 'ack', 'stix', ... (lower-case, 1-64 chars). */
  kind: string;
  /** Milliseconds since the epoch, or RFC 3339; defaults to the ledger clock. */
  time?: number | string;
}

export interface LedgerEntry {
  index: number;
  envelopeHash: string;
  direction: Direction;
  peerNodeId: string;
  agreementId: string | null;
  kind: string;
  /** RFC 3339 UTC with milliseconds, e.g. 2026-01-01T00:00:00.000Z. */
  time: string;
}

/** The version written into every leaf; a new layout gets a new number, old leaves keep theirs. */
export const ENTRY_VERSION = 1;

const HASH_RE = /^[0-9a-f]{64}$/;
const KIND_RE = /^[a-z][a-z0-9._-]{0,63}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const text = (v: unknown, field: string, max = 256): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw invalid(
      'ledger.invalid_entry',
      `ledger entry ${field} must be a string of 1 to ${max} characters`,
      {
        field,
      },
    );
  }
  return v;
};

/** Checks an entry to append and fixes its time; throws `ledger.invalid_entry` naming the field. */
export function normaliseInput(e: EntryInput, now: number): Omit<LedgerEntry, 'index'> {
  if (typeof e.envelopeHash !== 'string' || !HASH_RE.test(e.envelopeHash)) {
    throw invalid('ledger.invalid_entry', 'ledger entry envelopeHash must be 64 lower-case hex characters', {
      field: 'envelopeHash',
    });
  }
  if (e.direction !== 'in' && e.direction !== 'out') {
    throw invalid('ledger.invalid_entry', `ledger entry direction must be "in" or "out"`, {
      field: 'direction',
    });
  }
  if (typeof e.kind !== 'string' || !KIND_RE.test(e.kind)) {
    throw invalid('ledger.invalid_entry', 'ledger entry kind must match [a-z][a-z0-9._-]{0,63}', {
      field: 'kind',
    });
  }
  const t = e.time ?? now;
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) {
    throw invalid('ledger.invalid_entry', 'ledger entry time must be epoch milliseconds or RFC 3339', {
      field: 'time',
    });
  }
  return {
    envelopeHash: e.envelopeHash,
    direction: e.direction,
    peerNodeId: text(e.peerNodeId, 'peerNodeId'),
    agreementId:
      e.agreementId === null || e.agreementId === undefined ? null : text(e.agreementId, 'agreementId'),
    kind: e.kind,
    time: isoMillis(ms),
  };
}

/**
 * The canonical JSON of an entry (see the header). Written out by hand because it is on the append
 * path: keys in RFC 8785 order, strings by JSON.stringify (which RFC 8785 section 3.2.2.2 adopts),
 * the index a safe integer. A test checks it equals the `canonicalize` package's output.
 */
export function entryJson(e: LedgerEntry): string {
  const agreement = e.agreementId === null ? 'null' : JSON.stringify(e.agreementId);
  return (
    `{"agreementId":${agreement},"direction":${JSON.stringify(e.direction)},` +
    `"envelopeHash":${JSON.stringify(e.envelopeHash)},"index":${e.index},"kind":${JSON.stringify(e.kind)},` +
    `"peerNodeId":${JSON.stringify(e.peerNodeId)},"time":${JSON.stringify(e.time)},"v":${ENTRY_VERSION}}`
  );
}

/** The leaf bytes of an entry: its canonical JSON in UTF-8. */
export const entryBytes = (e: LedgerEntry): Uint8Array => Buffer.from(entryJson(e), 'utf8');

/** The entry's canonical form through the `canonicalize` package: the reference entryJson must match. */
export const entryJsonReference = (e: LedgerEntry): string =>
  canonicalize({
    agreementId: e.agreementId,
    direction: e.direction,
    envelopeHash: e.envelopeHash,
    index: e.index,
    kind: e.kind,
    peerNodeId: e.peerNodeId,
    time: e.time,
    v: ENTRY_VERSION,
  }) as string;

/** SHA-256(0x00 || entry bytes). */
export const entryLeafHash = (e: LedgerEntry): Uint8Array => leafHashOfText(entryJson(e));

/** Reads an entry that arrived from outside (a proof); undefined if any field is off. */
export function parseEntry(x: unknown): LedgerEntry | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const e = x as Record<string, unknown>;
  const ok =
    isTreeIndex(e.index) &&
    typeof e.envelopeHash === 'string' &&
    HASH_RE.test(e.envelopeHash) &&
    (e.direction === 'in' || e.direction === 'out') &&
    typeof e.peerNodeId === 'string' &&
    (e.agreementId === null || typeof e.agreementId === 'string') &&
    typeof e.kind === 'string' &&
    KIND_RE.test(e.kind) &&
    typeof e.time === 'string' &&
    TIME_RE.test(e.time);
  if (!ok) return undefined;
  return {
    index: e.index as number,
    envelopeHash: e.envelopeHash as string,
    direction: e.direction as Direction,
    peerNodeId: e.peerNodeId as string,
    agreementId: e.agreementId as string | null,
    kind: e.kind as string,
    time: e.time as string,
  };
}
