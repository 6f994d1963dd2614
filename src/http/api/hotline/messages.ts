/**
 * Messages and threads: send, read, acknowledge, respond, close; alerts, statistics, the deadline
 * check and the standard templates. Every handler is one call into the hotline service.
 */
import { Type } from 'typebox';
import {
  MESSAGE_KINDS,
  type MessageInput,
  type MessageKind,
  type MessageView,
  NOTIFICATION_STAGES,
  READER_LANGS,
  renderMessage,
  template,
} from '../../../hotline/index.js';
import { AckBody, bodyCompiler, ReplyBody, SendBody } from './body.js';
import { PREFIX, type RouteContext } from './context.js';
import { awaitsAction, replySubject } from './defaults.js';
import { flag, int, oneOf, text } from './query.js';

type Q = Record<string, string | undefined>;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const tags = ['hotline'];

/** A message view, with the message rendered for a reader when `?lang=` asks for it. */
function withRendering(m: MessageView, q: Q) {
  const lang = oneOf(q, 'lang', READER_LANGS);
  return lang ? { ...m, rendered: renderMessage(m.message, lang) } : m;
}

export function messageRoutes({ app, hotline, allow }: RouteContext): void {
  const write = { onRequest: allow('write'), validatorCompiler: bodyCompiler };
  const read = { onRequest: allow('read') };

  app.post<{ Body: MessageInput }>(
    `${PREFIX}/messages`,
    { ...write, schema: { summary: 'send a hotline message', tags, body: SendBody } },
    async (req, reply) => reply.status(201).send(await hotline.send(req.body)),
  );

  const list = (which: 'inbox' | 'sent') => async (req: { query: unknown }) => {
    const q = req.query as Q;
    const state = text(q, 'state');
    const all = flag(q, 'all') ?? which === 'sent';
    const views = await hotline[which]({
      state,
      exercise: flag(q, 'exercise'),
      limit: int(q, 'limit', 1, 1000),
    });
    return { messages: all || state ? views : views.filter(awaitsAction) };
  };
  app.get(`${PREFIX}/inbox`, { ...read, schema: { summary: 'messages received', tags } }, list('inbox'));
  app.get(`${PREFIX}/sent`, { ...read, schema: { summary: 'messages sent', tags } }, list('sent'));

  app.get<{ Params: { id: string } }>(
    `${PREFIX}/messages/:id`,
    { ...read, schema: { summary: 'one message and its recipients', tags, params: Id } },
    async (req) => withRendering(await hotline.message(req.params.id), req.query as Q),
  );

  app.get<{ Params: { id: string } }>(
    `${PREFIX}/threads/:id`,
    { ...read, schema: { summary: 'a thread: its messages both ways and its alerts', tags, params: Id } },
    async (req) => hotline.thread(req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { poc: string } }>(
    `${PREFIX}/messages/:id/ack`,
    { ...write, schema: { summary: 'acknowledge a message received', tags, params: Id, body: AckBody } },
    async (req) => hotline.ack(req.params.id, { poc: req.body.poc }),
  );

  app.post<{ Params: { id: string }; Body: Omit<MessageInput, 'agreement' | 'kind'> }>(
    `${PREFIX}/messages/:id/respond`,
    { ...write, schema: { summary: 'answer a message received', tags, params: Id, body: ReplyBody } },
    async (req, reply) => {
      const body = { ...req.body };
      if (body.subject === undefined)
        body.subject = replySubject('response', (await hotline.message(req.params.id)).message);
      return reply.status(201).send(await hotline.respond(req.params.id, body));
    },
  );

  app.post<{ Params: { id: string }; Body: Omit<MessageInput, 'agreement' | 'kind'> | undefined }>(
    `${PREFIX}/threads/:id/close`,
    { ...write, schema: { summary: 'close a thread', tags, params: Id, body: ReplyBody } },
    async (req, reply) => {
      const body = { ...(req.body ?? {}) };
      if (body.subject === undefined) {
        const t = await hotline.thread(req.params.id);
        const first = t.messages[0]?.message;
        body.subject = replySubject('closure', { subject: t.subject, language: first?.language ?? 'en' });
      }
      return reply.status(201).send(await hotline.close(req.params.id, body));
    },
  );

  app.get(`${PREFIX}/alerts`, { ...read, schema: { summary: 'alerts', tags } }, async (req) => {
    const q = req.query as Q;
    return {
      alerts: await hotline.alerts({
        direction: oneOf(q, 'direction', ['local', 'out', 'in'] as const),
        kind: text(q, 'kind'),
        thread: text(q, 'thread'),
      }),
    };
  });

  app.get(`${PREFIX}/stats`, { ...read, schema: { summary: 'responsiveness figures', tags } }, () =>
    hotline.stats(),
  );

  app.post(
    `${PREFIX}/deadlines/check`,
    { onRequest: allow('write'), schema: { summary: 'fire every missed deadline now', tags } },
    () => hotline.checkDeadlines(),
  );

  app.get<{ Params: { kind: string } }>(
    `${PREFIX}/templates/:kind`,
    { ...read, schema: { summary: 'the standard text of a kind', tags } },
    async (req) => {
      const q = req.query as Q;
      const kind = oneOf({ kind: req.params.kind }, 'kind', MESSAGE_KINDS);
      const lang = oneOf(q, 'lang', READER_LANGS) ?? 'en';
      const stage = oneOf(q, 'stage', NOTIFICATION_STAGES);
      return { kind, lang, ...(stage ? { stage } : {}), ...template(kind as MessageKind, lang, stage) };
    },
  );
}
