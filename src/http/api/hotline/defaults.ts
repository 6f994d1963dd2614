/**
 * What the API and the CLI fill in the same way: the subject of a response or closure (the
 * standard one in the language of the message answered), and which received messages still wait
 * for this node (the inbox's default view).
 */
import { type MessageView, readerLanguage, template } from '../../../hotline/index.js';

/** "Re: <subject>" in the words of the message's own language: "Ответ: ...", "答复：...". */
export function replySubject(
  kind: 'response' | 'closure',
  answered: { subject: string; language: string },
): string {
  const t = template(kind, readerLanguage(answered.language)).subject;
  // Templates mark what to fill in with [brackets] (full-width ［］ in Chinese); the subject answered goes there.
  return t.replace(/\[[^\]]*\]|［[^］]*］/, () => answered.subject).slice(0, 300);
}

/**
 * A received message waits for this node while it is not acknowledged, or acknowledged with an
 * answer asked for and not yet given; a closed thread waits for nothing.
 */
export function awaitsAction(m: MessageView): boolean {
  const r = m.recipients[0];
  if (!r || m.direction !== 'in') return false;
  if (['queued', 'sent', 'delivered'].includes(r.state)) return true;
  return r.state === 'acknowledged' && r.respondDue !== null;
}
