/** Reads and writes of the agreement tables; every function takes the executor (the db or a transaction). */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../crypto/index.js';
import type { Schema } from '../store/index.js';
import type { PactAgreementsTable, PactVersionsTable } from '../store/tables/pact.js';
import { type AgreementDocument, type AgreementSignature, checkDocument } from './document.js';

export type Db = Kysely<Schema>;

export interface StoredVersion {
  hash: string;
  version: number;
  doc: AgreementDocument;
  completeAt: string | null;
  signatures: AgreementSignature[];
}

export const getAgreement = (db: Db, id: string): Promise<PactAgreementsTable | undefined> =>
  db.selectFrom('pact_agreements').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Parsed documents by their stored text: every envelope under an agreement reads its document, and
 * checking it again each time (JSON.parse, every field, canonical JSON) cost more than the rest of
 * the read. Keyed by the exact text, so an edited row is parsed and checked afresh; frozen, so no
 * caller can change what another sees. Bounded: agreements are few.
 */
const parsedDocs = new Map<string, AgreementDocument>();
const PARSED_MAX = 256;

function parseDoc(text: string): AgreementDocument {
  const hit = parsedDocs.get(text);
  if (hit) return hit;
  const doc = deepFreeze(checkDocument(JSON.parse(text)));
  if (parsedDocs.size >= PARSED_MAX) parsedDocs.delete(parsedDocs.keys().next().value as string);
  parsedDocs.set(text, doc);
  return doc;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const toVersion = (r: PactVersionsTable, sigs: AgreementSignature[]): StoredVersion => ({
  hash: r.hash,
  version: r.version,
  doc: parseDoc(r.doc),
  completeAt: r.complete_at,
  signatures: sigs,
});

/** The document of one version without its signatures: the hot path of every envelope. */
export async function getVersionDoc(
  db: Db,
  id: string,
  version: number,
): Promise<AgreementDocument | undefined> {
  const r = await db
    .selectFrom('pact_versions')
    .select('doc')
    .where('agreement_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r && parseDoc(r.doc);
}

async function signaturesOf(db: Db, hash: string): Promise<AgreementSignature[]> {
  const rows = await db
    .selectFrom('pact_signatures')
    .select(['node_id', 'signing_key', 'sig'])
    .where('version_hash', '=', hash)
    .orderBy('node_id')
    .execute();
  return rows.map((r) => ({ node: r.node_id, key: r.signing_key, sig: r.sig }));
}

export async function getVersion(db: Db, id: string, version: number): Promise<StoredVersion | undefined> {
  const r = await db
    .selectFrom('pact_versions')
    .selectAll()
    .where('agreement_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r && toVersion(r, await signaturesOf(db, r.hash));
}

export async function getVersionByHash(db: Db, hash: string): Promise<StoredVersion | undefined> {
  const r = await db.selectFrom('pact_versions').selectAll().where('hash', '=', hash).executeTakeFirst();
  return r && toVersion(r, await signaturesOf(db, r.hash));
}

export async function latestVersion(db: Db, id: string): Promise<StoredVersion | undefined> {
  const r = await db
    .selectFrom('pact_versions')
    .selectAll()
    .where('agreement_id', '=', id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && toVersion(r, await signaturesOf(db, r.hash));
}

export async function insertVersion(db: Db, id: string, hash: string, doc: AgreementDocument, now: string) {
  await db
    .insertInto('pact_versions')
    .values({
      hash,
      agreement_id: id,
      version: doc.version,
      doc: canonicalJson(doc),
      complete_at: null,
      created_at: now,
    })
    .execute();
}

/** Records a signature once; returns false if that party had already signed this version. */
export async function insertSignature(db: Db, hash: string, s: AgreementSignature, now: string) {
  const prior = await db
    .selectFrom('pact_signatures')
    .select('node_id')
    .where('version_hash', '=', hash)
    .where('node_id', '=', s.node)
    .executeTakeFirst();
  if (prior) return false;
  await db
    .insertInto('pact_signatures')
    .values({ version_hash: hash, node_id: s.node, signing_key: s.key, sig: s.sig, received_at: now })
    .execute();
  return true;
}

export async function addEvent(db: Db, id: string, event: string, by: string, version: number, at: string) {
  await db
    .insertInto('pact_events')
    .values({ id: randomBytes(12).toString('hex'), agreement_id: id, event, by_node: by, version, at })
    .execute();
}

export const eventsOf = (db: Db, id: string) =>
  db
    .selectFrom('pact_events')
    .select(['event', 'by_node', 'version', 'at'])
    .where('agreement_id', '=', id)
    .orderBy('at')
    .execute();
