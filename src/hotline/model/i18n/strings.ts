/**
 * The hotline CLI's own output strings. English is the key list: a key added there does not
 * compile until Russian and Chinese have it too. Placeholders are `{name}`, filled by `t`.
 */
import { internal } from '../../../core/index.js';
import type { ReaderLang } from './vocabulary.js';

const EN = {
  'state.queued': 'queued',
  'state.sent': 'sent',
  'state.delivered': 'delivered',
  'state.acknowledged': 'acknowledged',
  'state.responded': 'responded',
  'state.closed': 'closed',
  'state.overdue': 'overdue',
  'deadline.acknowledged_within': 'acknowledged within deadline',
  'deadline.responded_within': 'responded within deadline',
  'deadline.overdue_by': 'overdue by {h} h',
  'delivery.delivered': 'delivered',
  'delivery.delivered_to': 'delivered to {node}',
  'escalation.escalated_to': 'escalated to {channel}',
  'ping.passed': 'passed',
  'ping.failed': 'failed',
  'exercise.marker': 'EXERCISE',
} as const;

export type StringKey = keyof typeof EN;

const RU: Record<StringKey, string> = {
  'state.queued': 'в очереди',
  'state.sent': 'отправлено',
  'state.delivered': 'доставлено',
  'state.acknowledged': 'принято в работу',
  'state.responded': 'получен ответ',
  'state.closed': 'закрыто',
  'state.overdue': 'просрочено',
  'deadline.acknowledged_within': 'принято в работу в установленный срок',
  'deadline.responded_within': 'ответ дан в установленный срок',
  'deadline.overdue_by': 'просрочено на {h} ч',
  'delivery.delivered': 'доставлено',
  'delivery.delivered_to': 'доставлено получателю {node}',
  'escalation.escalated_to': 'эскалировано в канал {channel}',
  'ping.passed': 'пройдена',
  'ping.failed': 'не пройдена',
  'exercise.marker': 'УЧЕНИЯ',
};

const ZH: Record<StringKey, string> = {
  'state.queued': '排队中',
  'state.sent': '已发送',
  'state.delivered': '已送达',
  'state.acknowledged': '已确认受理',
  'state.responded': '已答复',
  'state.closed': '已结案',
  'state.overdue': '已逾期',
  'deadline.acknowledged_within': '已在时限内确认受理',
  'deadline.responded_within': '已在时限内答复',
  'deadline.overdue_by': '已逾期 {h} 小时',
  'delivery.delivered': '已送达',
  'delivery.delivered_to': '已送达 {node}',
  'escalation.escalated_to': '已升级至 {channel}',
  'ping.passed': '通过',
  'ping.failed': '未通过',
  'exercise.marker': '演练',
};

export const STRINGS: Readonly<Record<ReaderLang, Readonly<Record<StringKey, string>>>> = {
  en: EN,
  ru: RU,
  zh: ZH,
};

/**
 * One CLI string in `lang`, its `{placeholders}` filled from `vars`.
 *
 *   t('ru', 'deadline.overdue_by', { h: 5 })  // "просрочено на 5 ч"
 */
export function t(lang: ReaderLang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    // A missing value is a bug in the caller; printing "{h}" to a duty officer would hide it.
    if (v === undefined) throw internal(`hotline string ${key} needs {${name}}`);
    return String(v);
  });
}
