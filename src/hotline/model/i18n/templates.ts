/**
 * Standard texts: for each kind (and each stage of a notification) the skeleton of a subject and a
 * description that a duty officer fills in, in the reader languages. The stage list follows NIS2
 * Article 23 (early warning, notification, intermediate and final report).
 */
import type { MessageKind, NotificationStage } from '../../types.js';
import { EN_TEMPLATES } from './templates-en.js';
import { RU_TEMPLATES } from './templates-ru.js';
import { ZH_TEMPLATES } from './templates-zh.js';
import type { ReaderLang } from './vocabulary.js';

export interface MessageTemplate {
  subject: string;
  description: string;
}

/** One template per kind, a notification's one per stage. */
export type TemplateSet = Record<Exclude<MessageKind, 'notification'> | NotificationStage, MessageTemplate>;

export const TEMPLATES: Readonly<Record<ReaderLang, TemplateSet>> = {
  en: EN_TEMPLATES,
  ru: RU_TEMPLATES,
  zh: ZH_TEMPLATES,
};

/**
 * The standard text of `kind` in `lang`; a notification's depends on its stage (default: the
 * early warning, the first of the chain).
 *
 *   template('notification', 'zh', 'final').description
 */
export function template(
  kind: MessageKind,
  lang: ReaderLang,
  stage: NotificationStage = 'early-warning',
): MessageTemplate {
  const set = TEMPLATES[lang];
  return { ...(kind === 'notification' ? set[stage] : set[kind]) };
}
