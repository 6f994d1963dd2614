/**
 * The receiving side of `consult.entry`, run by the peer inbox in the transaction that also logs the
 * envelope and signs the receipt (so a refused entry leaves nothing behind). The inbox has checked
 * the envelope (signature, agreement in force, sender a party of it); this checks the entry: written
 * and signed by the sender itself under the envelope's agreement, naming this node as a party.
 * Idempotent on the entry id: a repeated delivery returns the first answer.
 */
import { conflict, isoMillis, ParleyError } from '../core/index.js';
import type { ConsultDeps, ConsultInbox } from './deps.js';
import { parseEntry } from './entry.js';
import { CONSULT_ENVELOPE } from './types.js';
import { checkAgainst, getEntry, storeEntry } from './write.js';

type Ctx = Parameters<Parameters<ConsultInbox['on']>[1]>[0];

export function registerInbound(d: ConsultDeps, inbox: ConsultInbox): void {
  inbox.on(CONSULT_ENVELOPE, (ctx) => receiveEntry(d, ctx));
}

export async function receiveEntry(d: ConsultDeps, ctx: Ctx) {
  const { tx } = ctx;
  const env = ctx.opened.envelope;
  const raw = (ctx.payload as { entry?: unknown } | null)?.entry;
  const e = parseEntry(raw);
  if (e.by !== env.sender.node || e.key !== env.sender.key)
    throw new ParleyError(
      'consult.author_mismatch',
      `entry ${e.id} is signed by ${e.by}, but ${env.sender.node} sent it: each party sends only its own entries`,
      403,
    );
  if (env.agreement === null || e.agreement !== env.agreement)
    throw new ParleyError(
      'consult.agreement_mismatch',
      `entry ${e.id} names agreement ${e.agreement}, but travels under ${env.agreement ?? 'none'}`,
      403,
    );
  // One writer per consultation at a time: each write folds the whole consultation again, and
  // PostgreSQL runs deliveries (and this node's own changes) side by side.
  await d.database.lock(tx, `consult:${e.consultation}`);
  const prior = await getEntry(tx, e.id);
  if (prior) {
    if (prior.author_node !== e.by || JSON.parse(prior.entry).sig !== e.sig)
      throw conflict('consult.duplicate_id', `entry id ${e.id} is already used here by another entry`);
    return { entry: e.id, consultation: e.consultation, received: prior.received_at };
  }
  const view = await d.pacts.show(e.agreement, tx);
  if (!view.inForce?.parties.some((p) => p.node === d.identity.nodeId))
    throw new ParleyError(
      'consult.not_a_party',
      `${d.identity.nodeId} is not a party of ${e.agreement}`,
      403,
    );
  await checkAgainst(tx, view.inForce, e);
  const at = isoMillis(d.clock.now());
  await storeEntry(tx, e, at);
  return { entry: e.id, consultation: e.consultation, received: at };
}
