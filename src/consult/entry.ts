/**
 * Entries: building and signing this node's, and checking any (shape, limits, signature) before it
 * is stored, whoever wrote it. The same checks run on the author's side and the receiver's, so a
 * change refused here is refused before anything is written or sent.
 */
import { randomUUID } from 'node:crypto';
import { invalid, ParleyError } from '../core/index.js';
import {
  canonicalBytes,
  canonicalJson,
  fromB64u,
  type KeyPair,
  sign,
  signingInput,
  toB64u,
  verify,
} from '../crypto/index.js';
import { checkAttachment } from './documents.js';
import {
  type BodyOf,
  CONSULT_CONTEXT,
  type ConsultEntry,
  ENTRY_KINDS,
  type EntryKind,
  MEASURE_STATES,
  type UnsignedEntry,
} from './types.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NODE = /^[\x21-\x7e]{1,200}$/;
const AGREEMENT = /^agr-[0-9a-f]{64}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ID = (prefix: string) => new RegExp(`^${prefix}-${UUID}$`);
export const ENTRY_ID = ID('ce');
export const CONSULTATION_ID = ID('cons');
export const DOCUMENT_ID = ID('doc');
export const MEASURE_ID = ID('jm');

/** A fresh id with its prefix, e.g. newId('jm') -> 'jm-0c5e...'. */
export const newId = (prefix: 'ce' | 'cons' | 'doc' | 'jm'): string => `${prefix}-${randomUUID()}`;

const bad = (field: string, rule: string) =>
  invalid('consult.invalid', `consultation entry: ${field} ${rule}`, { field });

const text = (v: unknown, field: string, min: number, max: number): string => {
  if (typeof v !== 'string' || [...v].length < min || [...v].length > max)
    throw bad(field, `must be text of ${min} to ${max} characters`);
  return v;
};

const texts = (v: unknown, field: string, maxItems: number, maxLen: number): string[] => {
  if (!Array.isArray(v) || v.length > maxItems) throw bad(field, `must be a list of at most ${maxItems}`);
  return v.map((x, i) => text(x, `${field}[${i}]`, 1, maxLen));
};

/** A calendar day YYYY-MM-DD that exists (no 2026-02-30). */
export const isDay = (v: unknown): v is string =>
  typeof v === 'string' && DAY.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

const date = (v: unknown, field: string): string => {
  if (isDay(v) || (typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v)))) return v as string;
  throw bad(field, 'must be a day YYYY-MM-DD or an RFC 3339 UTC time');
};

const id = (v: unknown, field: string, re: RegExp): string => {
  if (typeof v !== 'string' || !re.test(v)) throw bad(field, `must match ${re.source}`);
  return v;
};

const obj = (v: unknown, field: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(field, 'must be an object');
  return v as Record<string, unknown>;
};

/** Checks a body of `kind` and returns it with only its known fields. */
export function checkBody<K extends EntryKind>(kind: K, raw: unknown): BodyOf[K] {
  const b = obj(raw, 'body');
  switch (kind) {
    case 'schedule':
      return {
        title: text(b.title, 'title', 1, 200),
        date: date(b.date, 'date'),
        agenda: texts(b.agenda ?? [], 'agenda', 50, 500),
        participants: texts(b.participants ?? [], 'participants', 100, 200),
      } as BodyOf[K];
    case 'attach': {
      const kindOf = b.kind;
      if (kindOf !== 'compliance-report' && kindOf !== 'stix-report')
        throw bad('kind', 'must be compliance-report or stix-report');
      const doc = checkAttachment(kindOf, b.content);
      if (b.sha256 !== undefined && b.sha256 !== doc.sha256)
        throw bad('sha256', 'does not match the content');
      return {
        document: id(b.document, 'document', DOCUMENT_ID),
        kind: kindOf,
        title: text(b.title, 'title', 1, 200),
        content: doc.content,
        sha256: doc.sha256,
      } as BodyOf[K];
    }
    case 'minutes':
      return {
        text: text(b.text, 'text', 1, 65_536),
        previous: b.previous == null ? null : id(b.previous, 'previous', ENTRY_ID),
      } as BodyOf[K];
    case 'measure':
      if (!isDay(b.due)) throw bad('due', 'must be a day YYYY-MM-DD');
      if (typeof b.owner !== 'string' || !NODE.test(b.owner)) throw bad('owner', 'must be a node id');
      return {
        measure: id(b.measure, 'measure', MEASURE_ID),
        title: text(b.title, 'title', 1, 500),
        owner: b.owner,
        due: b.due,
      } as BodyOf[K];
    case 'measure-update':
      if (b.state !== null && !MEASURE_STATES.includes(b.state as never))
        throw bad('state', `must be one of ${MEASURE_STATES.join(', ')} or null`);
      return {
        measure: id(b.measure, 'measure', MEASURE_ID),
        state: b.state,
        note: text(b.note ?? '', 'note', 0, 2000),
      } as BodyOf[K];
    default:
      throw bad('kind', `must be one of ${ENTRY_KINDS.join(', ')}`);
  }
}

const signed = (e: Omit<ConsultEntry, 'sig'>) => signingInput(CONSULT_CONTEXT, canonicalBytes(e));

/** Signs an entry written by this node (its key goes into the entry). */
export function signEntry<K extends EntryKind>(key: KeyPair, e: UnsignedEntry<K>): ConsultEntry<K> {
  const withKey = { ...e, key: toB64u(key.publicKey) } as Omit<ConsultEntry<K>, 'sig'>;
  return { ...withKey, sig: toB64u(sign(key, signed(withKey))) } as ConsultEntry<K>;
}

/** True when `e.sig` is the signature of `e.key` over the entry. */
export function verifyEntry(e: ConsultEntry): boolean {
  const { sig, ...rest } = e;
  const pub = fromB64u(e.key, 32);
  const s = fromB64u(sig, 64);
  return !!pub && !!s && verify(pub, signed(rest), s);
}

/**
 * Checks a received (or stored) entry: every field, the body of its kind, and its signature.
 * Throws consult.invalid (400) naming the field, or consult.bad_signature.
 */
export function parseEntry(raw: unknown): ConsultEntry {
  const e = obj(raw, 'entry');
  if (e.type !== 'parley.consult.entry' || e.v !== 1) throw bad('type', 'must be parley.consult.entry, v 1');
  if (!ENTRY_KINDS.includes(e.kind as EntryKind))
    throw bad('kind', `must be one of ${ENTRY_KINDS.join(', ')}`);
  if (typeof e.by !== 'string' || !NODE.test(e.by)) throw bad('by', 'must be a node id');
  if (typeof e.at !== 'string' || !ISO.test(e.at)) throw bad('at', 'must be an RFC 3339 UTC time');
  if (typeof e.agreement !== 'string' || !AGREEMENT.test(e.agreement))
    throw bad('agreement', 'must be an agreement id');
  const entry = {
    type: 'parley.consult.entry',
    v: 1,
    id: id(e.id, 'id', ENTRY_ID),
    consultation: id(e.consultation, 'consultation', CONSULTATION_ID),
    agreement: e.agreement,
    kind: e.kind,
    by: e.by,
    key: typeof e.key === 'string' ? e.key : '',
    at: e.at,
    body: checkBody(e.kind as EntryKind, e.body),
    sig: typeof e.sig === 'string' ? e.sig : '',
  } as ConsultEntry;
  // The signature covers what was sent: the entry as checked (unknown fields dropped, defaults
  // filled) must be that same JSON, or what is stored would no longer verify.
  if (canonicalJson(entry) !== canonicalJson(e))
    throw bad('entry', `has fields that an entry of kind ${entry.kind} does not have, or lacks some`);
  if (!verifyEntry(entry))
    throw new ParleyError(
      'consult.bad_signature',
      `the signature of entry ${entry.id} does not verify`,
      400,
      {
        entry: entry.id,
      },
    );
  return entry;
}
