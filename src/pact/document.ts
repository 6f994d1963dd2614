/**
 * The agreement document: RFC 8785 canonical JSON, named by the SHA-256 of its canonical bytes.
 * Version 1's hash, prefixed "agr-", is the agreement id every later version (amendment, accession)
 * carries in `id`; each party signs each version with Ed25519 over
 * "parley/agreement/v1\n" || JCS(document) (the signature is kept beside the document, not in it).
 */
import { createHash, randomBytes } from 'node:crypto';
import { invalid, isoMillis } from '../core/index.js';
import type { NodeIdentity } from '../crypto/index.js';
import {
  canonicalBytes,
  canonicalJson,
  fromB64u,
  NODE_ID,
  sign,
  signingInput,
  toB64u,
  verify,
} from '../crypto/index.js';
import {
  AUTHORITY_ROLES,
  CHANNELS,
  type Channel,
  DEFAULT_DEADLINES,
  DEFAULT_POC_CONFIRM_DAYS,
  DEFAULT_TAXONOMY,
  type DeadlineRule,
  MESSAGE_SCHEMA,
  type TaxonomyEntry,
  URGENCIES,
} from './defaults.js';

export const AGREEMENT_CONTEXT = 'parley/agreement/v1';
export const AGREEMENT_ID = /^agr-[0-9a-f]{64}$/;

export interface CompetentAuthority {
  name: string;
  role: (typeof AUTHORITY_ROLES)[number];
}

export interface AgreementParty {
  node: string;
  party: string;
  /** Ed25519, base64url. */
  signing_key: string;
  /** X25519, base64url. */
  agreement_key: string;
  competent_authorities: CompetentAuthority[];
}

export interface AgreementDocument {
  type: 'parley.agreement';
  v: 1;
  /** null in version 1 (its hash becomes the id); the agreement id in every later version. */
  id: string | null;
  version: number;
  /** Hash of the version this one amends, or null. */
  previous: string | null;
  title: string;
  /** Random, so that two identical proposals are two agreements. */
  nonce: string;
  created: string;
  proposed_by: string;
  parties: AgreementParty[];
  channels: Channel[];
  message_schema: string;
  sharing: { default_tlp: string | null };
  deadlines: DeadlineRule[];
  languages: string[];
  taxonomy: TaxonomyEntry[];
  /** RFC 3339 UTC; null: in force as soon as every party has signed. */
  entry_into_force: string | null;
  poc_confirm_days: number;
}

export interface AgreementSignature {
  node: string;
  /** Ed25519 public key, base64url. */
  key: string;
  sig: string;
}

/** What a proposer may set from a file; the parties come from the peers named on the command line. */
export interface AgreementTerms {
  title?: string;
  channels?: Channel[];
  message_schema?: string;
  sharing?: { default_tlp: string | null };
  deadlines?: DeadlineRule[];
  languages?: string[];
  taxonomy?: TaxonomyEntry[];
  entry_into_force?: string | null;
  poc_confirm_days?: number;
  /** Competent authorities by node id; default: each party's own name, technical role. */
  competent_authorities?: Record<string, CompetentAuthority[]>;
}

export const versionHash = (doc: AgreementDocument): string =>
  createHash('sha256').update(canonicalBytes(doc)).digest('hex');

/** The agreement id: "agr-" + the hash of version 1. */
export const agreementIdOf = (doc: AgreementDocument): string => doc.id ?? `agr-${versionHash(doc)}`;

export function buildDocument(input: {
  terms: AgreementTerms;
  proposer: string;
  parties: Omit<AgreementParty, 'competent_authorities'>[];
  now: number;
  previous?: AgreementDocument;
}): AgreementDocument {
  const t = input.terms;
  const p = input.previous;
  const doc: AgreementDocument = {
    type: 'parley.agreement',
    v: 1,
    id: p ? agreementIdOf(p) : null,
    version: p ? p.version + 1 : 1,
    previous: p ? versionHash(p) : null,
    title: t.title ?? p?.title ?? 'Agreement on cooperation in information security',
    nonce: toB64u(new Uint8Array(randomBytes(16))),
    created: isoMillis(input.now),
    proposed_by: input.proposer,
    parties: input.parties.map((x) => ({
      ...x,
      competent_authorities: t.competent_authorities?.[x.node] ??
        p?.parties.find((q) => q.node === x.node)?.competent_authorities ?? [
          { name: x.party, role: 'technical' },
        ],
    })),
    channels: t.channels ?? p?.channels ?? [...CHANNELS],
    message_schema: t.message_schema ?? p?.message_schema ?? MESSAGE_SCHEMA,
    sharing: t.sharing ?? p?.sharing ?? { default_tlp: 'TLP:AMBER' },
    deadlines: t.deadlines ?? p?.deadlines ?? DEFAULT_DEADLINES.map((d) => ({ ...d })),
    languages: t.languages ?? p?.languages ?? ['en'],
    taxonomy: t.taxonomy ?? p?.taxonomy ?? DEFAULT_TAXONOMY.map((d) => ({ ...d, rsit: [...d.rsit] })),
    entry_into_force: t.entry_into_force !== undefined ? t.entry_into_force : null,
    poc_confirm_days: t.poc_confirm_days ?? p?.poc_confirm_days ?? DEFAULT_POC_CONFIRM_DAYS,
  };
  return checkDocument(doc);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TLP = /^TLP:(CLEAR|GREEN|AMBER|AMBER\+STRICT|RED)$/;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const KEYS =
  'channels,created,deadlines,entry_into_force,id,languages,message_schema,nonce,parties,poc_confirm_days,previous,proposed_by,sharing,taxonomy,title,type,v,version';

const bad = (field: string, why: string) =>
  invalid('pact.invalid_document', `agreement document: ${field} ${why}`, { field });
const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const b64u32 = (v: unknown) => typeof v === 'string' && fromB64u(v, 32) !== undefined;

/** Checks every field (throws pact.invalid_document naming the field) and returns the typed document. */
export function checkDocument(value: unknown): AgreementDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('document', 'is not an object');
  const d = value as Record<string, unknown>;
  if (Object.keys(d).sort().join(',') !== KEYS) throw bad('document', `must have exactly the fields ${KEYS}`);
  if (d.type !== 'parley.agreement' || d.v !== 1) throw bad('type', 'must be "parley.agreement" with v 1');
  if (!Number.isInteger(d.version) || (d.version as number) < 1)
    throw bad('version', 'must be an integer >= 1');
  const first = d.version === 1;
  if (first ? d.id !== null || d.previous !== null : !(str(d.id) && AGREEMENT_ID.test(d.id)))
    throw bad('id', 'must be null in version 1 and the agreement id after');
  if (!first && !(typeof d.previous === 'string' && /^[0-9a-f]{64}$/.test(d.previous)))
    throw bad('previous', 'must be the hash of the previous version');
  if (!str(d.title, 300)) throw bad('title', 'must be 1 to 300 characters');
  if (!str(d.nonce, 64)) throw bad('nonce', 'must be a string');
  if (!(typeof d.created === 'string' && ISO.test(d.created))) throw bad('created', 'must be RFC 3339 UTC');
  if (!(typeof d.proposed_by === 'string' && NODE_ID.test(d.proposed_by)))
    throw bad('proposed_by', 'must be a node id');
  const parties = d.parties;
  if (!Array.isArray(parties) || parties.length < 2 || parties.length > 64)
    throw bad('parties', 'must list 2 to 64 parties');
  const seen = new Set<string>();
  for (const [i, p] of parties.entries()) {
    const f = `parties[${i}]`;
    if (typeof p !== 'object' || p === null) throw bad(f, 'must be an object');
    const q = p as Record<string, unknown>;
    if (Object.keys(q).sort().join(',') !== 'agreement_key,competent_authorities,node,party,signing_key')
      throw bad(f, 'must have node, party, signing_key, agreement_key, competent_authorities');
    if (!(typeof q.node === 'string' && NODE_ID.test(q.node))) throw bad(`${f}.node`, 'must be a node id');
    if (seen.has(q.node)) throw bad(`${f}.node`, `lists ${q.node} twice`);
    seen.add(q.node);
    if (!str(q.party, 200)) throw bad(`${f}.party`, 'must be 1 to 200 characters');
    if (!b64u32(q.signing_key) || !b64u32(q.agreement_key))
      throw bad(`${f}`, 'keys must be base64url of 32 bytes');
    const cas = q.competent_authorities;
    if (!Array.isArray(cas) || cas.length === 0)
      throw bad(`${f}.competent_authorities`, 'must list at least one');
    for (const ca of cas as Record<string, unknown>[]) {
      if (
        !ca ||
        !str(ca.name, 200) ||
        !(AUTHORITY_ROLES as readonly unknown[]).includes(ca.role) ||
        Object.keys(ca).length !== 2
      )
        throw bad(
          `${f}.competent_authorities`,
          `entries must be { name, role: ${AUTHORITY_ROLES.join('|')} }`,
        );
    }
  }
  if (!seen.has(d.proposed_by as string)) throw bad('proposed_by', 'must be one of the parties');
  const ch = d.channels;
  if (
    !Array.isArray(ch) ||
    ch.length === 0 ||
    !ch.every((c) => (CHANNELS as readonly unknown[]).includes(c)) ||
    new Set(ch).size !== ch.length
  )
    throw bad('channels', `must be distinct values of ${CHANNELS.join(', ')}`);
  if (!str(d.message_schema, 64)) throw bad('message_schema', 'must be a string such as "parley/1"');
  const sh = d.sharing as Record<string, unknown> | null;
  if (
    !sh ||
    typeof sh !== 'object' ||
    Object.keys(sh).join(',') !== 'default_tlp' ||
    !(sh.default_tlp === null || (typeof sh.default_tlp === 'string' && TLP.test(sh.default_tlp)))
  )
    throw bad('sharing', 'must be { default_tlp: null or "TLP:CLEAR|GREEN|AMBER|AMBER+STRICT|RED" }');
  const dl = d.deadlines;
  if (!Array.isArray(dl) || dl.length === 0) throw bad('deadlines', 'must be a non-empty table');
  for (const r of dl as Record<string, unknown>[]) {
    const ok =
      r &&
      str(r.message_type, 64) &&
      (URGENCIES as readonly unknown[]).includes(r.urgency) &&
      typeof r.acknowledge_hours === 'number' &&
      r.acknowledge_hours > 0 &&
      typeof r.respond_hours === 'number' &&
      r.respond_hours >= r.acknowledge_hours &&
      Object.keys(r).length === 4;
    if (!ok)
      throw bad(
        'deadlines',
        'rows must be { message_type, urgency, acknowledge_hours > 0, respond_hours >= acknowledge_hours }',
      );
  }
  const langs = d.languages;
  if (
    !Array.isArray(langs) ||
    langs.length === 0 ||
    !langs.every((l) => typeof l === 'string' && LANG.test(l))
  )
    throw bad('languages', 'must be BCP 47 tags such as "en", "ru", "zh"');
  const tx = d.taxonomy;
  if (!Array.isArray(tx) || tx.length === 0) throw bad('taxonomy', 'must be a non-empty list');
  for (const t of tx as Record<string, unknown>[]) {
    if (
      !t ||
      !str(t.code, 64) ||
      !str(t.label, 500) ||
      !Array.isArray(t.rsit) ||
      !t.rsit.every((x) => str(x, 64)) ||
      Object.keys(t).length !== 3
    )
      throw bad('taxonomy', 'entries must be { code, label, rsit: [class...] }');
  }
  if (
    !(d.entry_into_force === null || (typeof d.entry_into_force === 'string' && ISO.test(d.entry_into_force)))
  )
    throw bad('entry_into_force', 'must be null or RFC 3339 UTC with milliseconds');
  if (
    !Number.isInteger(d.poc_confirm_days) ||
    (d.poc_confirm_days as number) < 1 ||
    (d.poc_confirm_days as number) > 3660
  )
    throw bad('poc_confirm_days', 'must be an integer from 1 to 3660');
  // Canonical JSON has no room for non-finite numbers or lone surrogates; serialising proves both.
  canonicalJson(d);
  return d as unknown as AgreementDocument;
}

const docInput = (doc: AgreementDocument) => signingInput(AGREEMENT_CONTEXT, canonicalBytes(doc));

export function signDocument(identity: NodeIdentity, doc: AgreementDocument): AgreementSignature {
  return {
    node: identity.nodeId,
    key: toB64u(identity.signing.publicKey),
    sig: toB64u(sign(identity.signing, docInput(doc))),
  };
}

/** True when `s` is a valid signature of `doc` by the party it names, with that party's key in `doc`. */
export function checkSignature(doc: AgreementDocument, s: AgreementSignature): boolean {
  const party = doc.parties.find((p) => p.node === s.node);
  if (!party || party.signing_key !== s.key) return false;
  const key = fromB64u(s.key, 32);
  const sig = fromB64u(s.sig, 64);
  return !!key && !!sig && verify(key, docInput(doc), sig);
}
