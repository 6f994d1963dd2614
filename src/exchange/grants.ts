/**
 * Sharing grants this node holds: the origin's permission, carried by a hotline permission-grant,
 * to pass some of its objects on wider than their label (docs/SHARING.md, "Grants"). Only a grant
 * from the object's origin counts, and only one that reached this node in an envelope signed by
 * that origin: grants never travel second-hand. Stored one row per (grant, object), read by object
 * id when the sync engine decides what to relay.
 */

import type { Kysely, Transaction } from 'kysely';
import { invalid, ParleyError } from '../core/index.js';
import { NODE_ID } from '../crypto/index.js';
import type { Schema } from '../store/index.js';
import { type PermissionGrant, parseTlpLabel } from './policy/index.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A grant as the hotline carries it (permission-grant with granted: true). */
export interface GrantInput {
  /** The message that carried it (the hotline message id). */
  id: string;
  /** The node that grants: the message's sender. */
  grantedBy: string;
  /** The agreement the message travelled under ("agreement" in shareWith means its parties). */
  agreement: string;
  objectRefs: string[];
  /** Node ids, "agreement", or "agreement:<id>". */
  shareWith: string[];
  /** "TLP:AMBER" etc. */
  tlp: string;
}

const STIX_ID = /^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID = /^[\x21-\x7e]{1,200}$/;
const MAX_REFS = 1000;

/**
 * Checks a grant against the node that sent it (the envelope's signer, checked by the inbox) and
 * puts it in the form the policy reads; names the field that is wrong.
 */
export function checkGrant(g: GrantInput, from: string): { grant: PermissionGrant; id: string } {
  const bad = (field: string, rule: string) =>
    invalid('exchange.bad_grant', `grant: ${field} ${rule}`, { field });
  if (typeof g?.id !== 'string' || !ID.test(g.id)) throw bad('id', 'must be a message id');
  if (typeof g.grantedBy !== 'string' || !NODE_ID.test(g.grantedBy))
    throw bad('grantedBy', 'must be a node id');
  // A grant is the origin's own word: only its signed envelope may carry it here.
  if (g.grantedBy !== from)
    throw new ParleyError(
      'exchange.grant_not_signed',
      `grant ${g.id} names ${g.grantedBy} as granting, but ${from} signed the envelope`,
      403,
      { field: 'grantedBy' },
    );
  if (typeof g.agreement !== 'string' || !ID.test(g.agreement))
    throw bad('agreement', 'must be an agreement id');
  if (
    !Array.isArray(g.objectRefs) ||
    g.objectRefs.length === 0 ||
    g.objectRefs.length > MAX_REFS ||
    !g.objectRefs.every((r) => typeof r === 'string' && STIX_ID.test(r))
  )
    throw bad('objectRefs', `must list 1 to ${MAX_REFS} STIX ids`);
  if (!Array.isArray(g.shareWith) || g.shareWith.length === 0)
    throw bad('shareWith', 'must list node ids or "agreement"');
  const shareWith = g.shareWith.map((s) => {
    if (s === 'agreement') return `agreement:${g.agreement}`;
    if (typeof s === 'string' && (NODE_ID.test(s) || (s.startsWith('agreement:') && ID.test(s)))) return s;
    throw bad('shareWith', `holds ${JSON.stringify(s)}, neither a node id nor "agreement"`);
  });
  if (!parseTlpLabel(g.tlp)) throw bad('tlp', 'must be a TLP label such as "TLP:AMBER"');
  return {
    id: g.id,
    grant: { objectRefs: [...new Set(g.objectRefs)], shareWith, tlp: g.tlp, grantedBy: g.grantedBy },
  };
}

/** Stores a checked grant; the same grant again changes nothing. */
export async function storeGrant(
  tx: Db,
  id: string,
  agreement: string,
  g: PermissionGrant,
  at: string,
): Promise<void> {
  await tx
    .insertInto('exchange_grants')
    .values(
      g.objectRefs.map((o) => ({
        grant_id: id,
        object_id: o,
        granted_by: g.grantedBy,
        agreement,
        share_with: JSON.stringify(g.shareWith),
        tlp: g.tlp,
        received_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['grant_id', 'object_id']).doNothing())
    .execute();
}

/** The grants held for these objects, by object id (each narrowed to that object). */
export async function grantsFor(db: Db, ids: readonly string[]): Promise<Map<string, PermissionGrant[]>> {
  const out = new Map<string, PermissionGrant[]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('exchange_grants')
      .select(['object_id', 'granted_by', 'share_with', 'tlp'])
      .where('object_id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const l = out.get(r.object_id) ?? [];
      l.push({
        objectRefs: [r.object_id],
        shareWith: JSON.parse(r.share_with) as string[],
        tlp: r.tlp,
        grantedBy: r.granted_by,
      });
      out.set(r.object_id, l);
    }
  }
  return out;
}

/** Whether a grant names this hop: the recipient, or the agreement of the feed. */
export const grantNames = (g: PermissionGrant, peer: string, agreement: string): boolean =>
  g.shareWith.includes(peer) || g.shareWith.includes(`agreement:${agreement}`);
