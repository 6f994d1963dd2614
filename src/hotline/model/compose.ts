/**
 * `composeMessage`: a full message from the few fields a CLI or API caller gives, with the
 * defaults filled in, then checked. What the caller gives always wins over a default, and anything
 * wrong in it (a field that does not exist, an unknown kind) is refused by checkMessage as usual.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, isoMillis } from '../../core/index.js';
import { type AgreementDocument, agreementIdOf } from '../../pact/index.js';
import { type HotlineMessage, MESSAGE_SCHEMA_V1, type TlpLabel } from '../types.js';
import { checkMessage } from './check.js';
import { refuse } from './errors.js';

/** Any field of the message; values are unchecked until checkMessage sees them. */
export type ComposeInput = { [K in keyof HotlineMessage]?: unknown } & Record<string, unknown>;

export interface ComposeContext {
  agreement: AgreementDocument;
  clock: Clock;
  /** The sending node and its point of contact; the party name defaults to the agreement's. */
  sender: { node: string; poc: string; party?: string };
  /** Message ids; tests pin them. Default: "msg--" + a random UUID. */
  newId?: () => string;
}

/**
 * Defaults: id new, thread = id for a first message, created = clock now, agreement = its id,
 * recipients = every other party, urgency low for a ping, in_reply_to/incident/stage/category/
 * rsit/permission/requested_response_hours null, description "", empty lists, tristates
 * "unknown", critical_infrastructure and exercise false, TLP the agreement's sharing default (else
 * TLP:AMBER), PAP:CLEAR, language the agreement's first.
 *
 *   composeMessage({ kind: 'ping', channel: 'technical', subject: 'Communication check' }, ctx)
 */
export function composeMessage(input: ComposeInput, ctx: ComposeContext): HotlineMessage {
  const { agreement } = ctx;
  const id = ctx.newId?.() ?? `msg--${randomUUID()}`;
  const inReplyTo = input.in_reply_to ?? null;
  if (inReplyTo !== null && input.thread === undefined)
    throw refuse('thread', 'must be given for a reply: the thread of the message it answers');
  const senderNode = ctx.sender.node;
  const party = ctx.sender.party ?? agreement.parties.find((p) => p.node === senderNode)?.party ?? '';
  const defaults: Omit<HotlineMessage, 'kind' | 'channel' | 'urgency' | 'subject'> = {
    schema: MESSAGE_SCHEMA_V1,
    id,
    thread: id,
    in_reply_to: null,
    incident: null,
    stage: null,
    agreement: agreementIdOf(agreement),
    sender: { node: senderNode, party, poc: ctx.sender.poc },
    recipients: agreement.parties.map((p) => p.node).filter((n) => n !== senderNode),
    category: null,
    rsit: null,
    description: '',
    affected_sectors: [],
    critical_infrastructure: false,
    suspected_malicious: 'unknown',
    cross_border: 'unknown',
    requested_response_hours: null,
    tlp: (agreement.sharing.default_tlp as TlpLabel | null) ?? 'TLP:AMBER',
    pap: 'PAP:CLEAR',
    language: agreement.languages[0] ?? 'en',
    stix: [],
    permission: null,
    exercise: false,
    created: isoMillis(ctx.clock.now()),
  };
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const draft: Record<string, unknown> = {
    ...defaults,
    ...(input.kind === 'ping' ? { urgency: 'low' } : {}),
    ...given,
  };
  return checkMessage(draft, agreement);
}
