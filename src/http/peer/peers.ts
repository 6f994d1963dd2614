/**
 * The peers a node talks to. A peer is added only with the fingerprint its operator read out over a
 * trusted channel (docs/PROTOCOL.md section 2.1): `parley peer add URL --fingerprint FP` fetches the
 * peer's self-signed descriptor, checks it and compares the fingerprint before storing anything.
 * Envelopes from a node that is not a confirmed peer are refused (envelope.unknown_sender).
 */
import type { Kysely } from 'kysely';
import { type Clock, conflict, isoMillis, notFound, ParleyError, systemClock } from '../../core/index.js';
import { fingerprint, fromB64u, type NodeDescriptor } from '../../crypto/index.js';
import type { Database, Schema } from '../../store/index.js';
import type { PeersTable } from '../../store/tables/pact.js';

export interface Peer {
  node: string;
  party: string;
  url: string;
  signingKey: string;
  agreementKey: string;
  fingerprint: string;
  status: string;
  addedAt: string;
}

const toPeer = (r: PeersTable): Peer => ({
  node: r.node_id,
  party: r.party,
  url: r.url,
  signingKey: r.signing_key,
  agreementKey: r.agreement_key,
  fingerprint: r.fingerprint,
  status: r.status,
  addedAt: r.added_at,
});

/** Fingerprints are compared by their digits only: "85710 35846 ..." equals "8571035846...". */
export const normaliseFingerprint = (fp: string): string => fp.replace(/[\s-]/g, '');

/** A base URL without trailing slash; the peer protocol lives under /peer/v1/. */
export function normaliseUrl(url: string): string {
  if (!URL.canParse(url)) throw new ParleyError('peer.bad_url', `"${url}" is not a URL`, 400);
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ParleyError('peer.bad_url', `peer URL must be http or https, got "${url}"`, 400);
  return u.toString().replace(/\/+$/, '');
}

export class PeerRegistry {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Stores a peer from its verified descriptor, if its fingerprint is the one confirmed out of band. */
  async add(
    url: string,
    descriptor: NodeDescriptor,
    expectedFingerprint: string,
    self?: string,
  ): Promise<Peer> {
    const key = fromB64u(descriptor.signing_key, 32)!;
    const fp = fingerprint(key);
    if (normaliseFingerprint(fp) !== normaliseFingerprint(expectedFingerprint)) {
      throw new ParleyError(
        'peer.fingerprint_mismatch',
        `the node at ${url} has fingerprint ${fp}, not ${expectedFingerprint}; nothing was stored (check the fingerprint with the peer's operator)`,
        400,
        { url, fingerprint: fp },
      );
    }
    if (descriptor.node === self) throw conflict('peer.is_self', `${url} is this node (${self})`);
    const row: PeersTable = {
      node_id: descriptor.node,
      party: descriptor.party,
      url: normaliseUrl(url),
      signing_key: descriptor.signing_key,
      agreement_key: descriptor.agreement_key,
      fingerprint: fp,
      descriptor: JSON.stringify(descriptor),
      status: 'confirmed',
      added_at: isoMillis(this.clock.now()),
    };
    await this.database.transaction(async (tx) => {
      await tx.deleteFrom('peers').where('node_id', '=', row.node_id).execute();
      await tx.insertInto('peers').values(row).execute();
    });
    return toPeer(row);
  }

  async get(node: string, db: Kysely<Schema> = this.database.db): Promise<Peer | undefined> {
    const r = await db.selectFrom('peers').selectAll().where('node_id', '=', node).executeTakeFirst();
    return r && toPeer(r);
  }

  async require(node: string): Promise<Peer> {
    const p = await this.get(node);
    if (p?.status !== 'confirmed')
      throw notFound(
        'peer.unknown',
        `${node} is not a confirmed peer; add it with \`parley peer add URL --fingerprint FP\``,
      );
    return p;
  }

  /** A peer by node id or by URL. */
  async find(nodeOrUrl: string): Promise<Peer | undefined> {
    const byId = await this.get(nodeOrUrl);
    if (byId) return byId;
    if (!URL.canParse(nodeOrUrl)) return undefined;
    const url = normaliseUrl(nodeOrUrl);
    const r = await this.database.db
      .selectFrom('peers')
      .selectAll()
      .where('url', '=', url)
      .executeTakeFirst();
    return r && toPeer(r);
  }

  async list(): Promise<Peer[]> {
    return (await this.database.db.selectFrom('peers').selectAll().orderBy('node_id').execute()).map(toPeer);
  }

  async remove(nodeOrUrl: string): Promise<Peer> {
    const p = await this.find(nodeOrUrl);
    if (!p) throw notFound('peer.unknown', `no peer ${nodeOrUrl}`);
    await this.database.db.deleteFrom('peers').where('node_id', '=', p.node).execute();
    return p;
  }

  /** The signing keys accepted for `node`: its confirmed key, or none. */
  async signingKeys(node: string, db: Kysely<Schema>): Promise<Uint8Array[] | undefined> {
    const p = await this.get(node, db);
    if (p?.status !== 'confirmed') return undefined;
    const k = fromB64u(p.signingKey, 32);
    return k ? [k] : undefined;
  }
}
