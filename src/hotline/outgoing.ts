/**
 * The sending side's common steps: compose and check a message against its agreement (before
 * anything is written), then, in the caller's transaction, store it with one row and one outbox
 * item per recipient (lane = thread, so a thread's messages arrive in order).
 */
import type { Kysely, Transaction } from 'kysely';
import { invalid, ParleyError } from '../core/index.js';
import type { AgreementDocument, Channel } from '../pact/index.js';
import type { Schema } from '../store/index.js';
import type { HotlineContext } from './context.js';
import { composeMessage } from './model/index.js';
import { deadlinesOf, ROLE_OF_CHANNEL } from './policy.js';
import { insertMessage, insertRecipient } from './records.js';
import { HOTLINE_ENVELOPE, type HotlineMessage } from './types.js';
import type { MessagePayload } from './wire.js';

/** What a caller gives to send a message; the model fills the rest (id, thread, created, ...). */
export type MessageInput = Partial<Omit<HotlineMessage, 'schema' | 'sender'>> & {
  /** The agreement the message travels under (in force). */
  agreement: string;
  kind: HotlineMessage['kind'];
  /** This node's point of contact who sends it; default: its first POC of the channel's role, else its first. */
  from?: string;
};

/** The agreement's document, if it is in force and effective now; else a clear refusal. */
export async function agreementInForce(
  c: HotlineContext,
  id: string,
  db?: Kysely<Schema>,
): Promise<AgreementDocument> {
  if (typeof id !== 'string' || id.length === 0)
    throw invalid('hotline.invalid_message', 'message: agreement is required', { field: 'agreement' });
  const view = await c.pacts.effective(id, db);
  if (!view.effective || !view.inForce)
    throw new ParleyError('hotline.agreement_not_in_force', `agreement ${id} is not in force`, 409, {
      agreement: id,
    });
  return view.inForce;
}

/** This node's sending POC: the one named (must be its own), or the default for the channel. */
export async function senderPoc(
  c: HotlineContext,
  channel: Channel | undefined,
  named?: string,
): Promise<string> {
  const mine = await c.directory.list({ owner: c.self });
  if (named !== undefined) {
    if (!mine.some((p) => p.id === named))
      throw invalid('hotline.unknown_poc', `this node has no point of contact "${named}"`, { field: 'from' });
    return named;
  }
  const role = channel ? ROLE_OF_CHANNEL[channel] : undefined;
  const p = mine.find((x) => x.role === role) ?? mine[0];
  if (!p)
    throw invalid(
      'hotline.no_sender_poc',
      'this node has no point of contact to send from; add one first (parley poc add)',
      { field: 'from' },
    );
  return p.id;
}

/** Composes and checks a message (throws ParleyError hotline.* before anything is written). */
export function compose(
  c: HotlineContext,
  doc: AgreementDocument,
  agreementId: string,
  input: Omit<MessageInput, 'from' | 'agreement'>,
  poc: string,
): HotlineMessage {
  const party = doc.parties.find((p) => p.node === c.self);
  if (!party)
    throw new ParleyError('hotline.not_a_party', `this node is not a party of agreement ${agreementId}`, 409);
  const m = composeMessage(
    { ...input, agreement: agreementId },
    { agreement: doc, clock: c.clock, sender: { node: c.self, party: party.party, poc } },
  );
  if (m.recipients.includes(c.self))
    throw invalid('hotline.invalid_message', 'message: recipients must not include this node', {
      field: 'recipients',
    });
  return m;
}

/** Stores an outgoing message and its recipients' rows, and queues one delivery per recipient. */
export async function writeOutgoing(
  c: HotlineContext,
  tx: Transaction<Schema>,
  m: HotlineMessage,
  doc: AgreementDocument,
  o: { escalates?: string | null; poc?: string | null } = {},
): Promise<void> {
  const payload: MessagePayload = { message: m, escalates: o.escalates ?? null, poc: o.poc ?? null };
  await insertMessage(tx, m, {
    direction: 'out',
    escalates: payload.escalates,
    toPoc: payload.poc,
    receivedAt: null,
  });
  const due = deadlinesOf(doc, m);
  for (const r of m.recipients)
    await insertRecipient(tx, {
      message: m.id,
      recipient: r,
      state: 'queued',
      ackDue: due.ackDue,
      respondDue: due.respondDue,
      at: m.created,
    });
  await c.outbox.enqueue(
    tx,
    m.recipients.map((r) => ({
      peer: r,
      type: HOTLINE_ENVELOPE,
      agreement: m.agreement,
      payload,
      lane: m.thread,
      ref: m.id,
    })),
  );
}
