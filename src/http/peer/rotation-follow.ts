/**
 * Following a peer's key rotations: fetch its chain (GET /peer/v1/rotations), walk it from the key
 * this node confirmed (`followChain`, src/crypto/rotation.ts) and, only if every step is signed by
 * the key before it and by the new key, move the peer to the new keys and record the step. A chain
 * that does not start from the confirmed key, or fails anywhere, changes nothing.
 */
import { type Clock, isoMillis, notFound, ParleyError, systemClock } from '../../core/index.js';
import { fingerprint, followChain, fromB64u, toB64u, verifyDescriptor } from '../../crypto/index.js';
import type { Database } from '../../store/index.js';
import { PEER_PATHS } from './client.js';
import { normaliseUrl, type Peer, type PeerRegistry } from './peers.js';
import { ROTATIONS_PATH } from './rotation.js';

export type FollowResult =
  | { ok: true; node: string; steps: number; fingerprint: string; signingKey: string }
  | { ok: false; node: string; code: string; index: number; message: string };

export interface FollowOptions {
  database: Database;
  peers: PeerRegistry;
  clock?: Clock;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

async function getJson(f: typeof fetch, base: string, path: string, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await f(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new ParleyError('peer.unreachable', `peer ${base} is unreachable: ${(e as Error).message}`, 502, {
      url: base,
    });
  }
  const text = await res.text();
  if (!res.ok) throw new ParleyError('peer.refused', `${base}${path} answered HTTP ${res.status}`, 502);
  try {
    return JSON.parse(text);
  } catch {
    throw new ParleyError('peer.bad_response', `${base}${path} answered a body that is not JSON`, 502);
  }
}

/** GET /peer/v1/rotations of the node at `url`: the statements, unchecked (followChain checks). */
export async function fetchRotations(
  url: string,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<unknown[]> {
  const base = normaliseUrl(url);
  const body = (await getJson(opts.fetch ?? fetch, base, ROTATIONS_PATH, opts.timeoutMs ?? 10_000)) as {
    rotations?: unknown;
  };
  if (!Array.isArray(body?.rotations))
    throw new ParleyError('peer.bad_response', `${base}${ROTATIONS_PATH} has no "rotations" array`, 502);
  return body.rotations;
}

/**
 * Fetches `nodeOrUrl`'s chain and follows it from the confirmed key. On success with steps > 0 the
 * peer's signing and agreement keys and fingerprint are replaced and the step is recorded in
 * peer_key_steps; on failure the stored keys are kept and the chain's error code is returned.
 */
export async function followPeerRotations(opts: FollowOptions, nodeOrUrl: string): Promise<FollowResult> {
  const peer = await opts.peers.find(nodeOrUrl);
  if (peer?.status !== 'confirmed') throw notFound('peer.unknown', `${nodeOrUrl} is not a confirmed peer`);
  const chain = await fetchRotations(peer.url, opts);
  const known = fromB64u(peer.signingKey, 32)!;
  const r = followChain(known, chain, peer.node);
  if (!r.ok) return { ok: false, node: peer.node, code: r.code, index: r.index, message: r.message };
  if (r.steps === 0 || !r.agreementKey)
    return {
      ok: true,
      node: peer.node,
      steps: 0,
      fingerprint: peer.fingerprint,
      signingKey: peer.signingKey,
    };
  const signingKey = toB64u(r.signingKey);
  const agreementKey = toB64u(r.agreementKey);
  const fp = fingerprint(r.signingKey);
  const descriptor = await currentDescriptor(opts, peer, signingKey, agreementKey);
  const start = chain.findIndex((s) => (s as { previous_key?: unknown })?.previous_key === peer.signingKey);
  await opts.database.transaction(async (tx) => {
    // Only from the key this follow started from: a concurrent follow or re-add wins, not us.
    const moved = await tx
      .updateTable('peers')
      .set({
        signing_key: signingKey,
        agreement_key: agreementKey,
        fingerprint: fp,
        ...(descriptor ? { descriptor } : {}),
      })
      .where('node_id', '=', peer.node)
      .where('signing_key', '=', peer.signingKey)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      throw new ParleyError(
        'rotation.conflict',
        `${peer.node}'s keys changed while following its chain`,
        409,
      );
    await tx
      .insertInto('peer_key_steps')
      .values({
        peer: peer.node,
        previous_key: peer.signingKey,
        new_key: signingKey,
        new_agreement_key: agreementKey,
        steps: r.steps,
        chain: JSON.stringify(chain.slice(start)),
        followed: isoMillis((opts.clock ?? systemClock).now()),
      })
      .execute();
  });
  return { ok: true, node: peer.node, steps: r.steps, fingerprint: fp, signingKey };
}

/**
 * The peer's current descriptor if it is signed by the key the chain reached (kept as the stored
 * descriptor); undefined otherwise (e.g. the peer has not restarted yet): the chain alone decides.
 */
async function currentDescriptor(
  opts: FollowOptions,
  peer: Peer,
  signingKey: string,
  agreementKey: string,
): Promise<string | undefined> {
  try {
    const body = await getJson(
      opts.fetch ?? fetch,
      peer.url,
      PEER_PATHS.descriptor,
      opts.timeoutMs ?? 10_000,
    );
    const d = verifyDescriptor(body);
    return d.node === peer.node && d.signing_key === signingKey && d.agreement_key === agreementKey
      ? JSON.stringify(d)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows a peer's chain when one of its envelopes is refused as envelope.unknown_sender (a key this
 * node has not confirmed): the sender may have rotated, and its next attempt then succeeds. At most
 * one follow per peer at a time and one per `cooldownMs`, so forged envelopes naming a peer cannot
 * make this node hammer that peer's URL. Safe by construction: only a valid chain moves a key.
 */
export class AutoFollower {
  private readonly last = new Map<string, number>();
  private readonly running = new Map<string, Promise<FollowResult | undefined>>();

  constructor(
    private readonly opts: FollowOptions,
    private readonly cooldownMs = 60_000,
  ) {}

  /** Starts (or joins) a follow of `node`; undefined if skipped (cool-down, not a peer, unreachable). */
  trigger(node: string): Promise<FollowResult | undefined> {
    const inFlight = this.running.get(node);
    if (inFlight) return inFlight;
    const now = (this.opts.clock ?? systemClock).now();
    const before = this.last.get(node);
    if (before !== undefined && now - before < this.cooldownMs) return Promise.resolve(undefined);
    this.last.set(node, now);
    const p = followPeerRotations(this.opts, node)
      .catch(() => undefined)
      .finally(() => this.running.delete(node));
    this.running.set(node, p);
    return p;
  }
}
