/**
 * A message as labelled text for a reader: labels and enumerated values in the reader's language,
 * the free text (subject, description) exactly as written. A reader who cannot read the free text
 * still reads the structure (kind, urgency, category, sectors, deadlines); a line says which
 * language the text is in when it is not the reader's.
 */
import type { HotlineMessage } from '../../types.js';
import { vocabulary } from './vocabularies.js';
import type { FieldKey, ReaderLang, Vocabulary } from './vocabulary.js';

const named = <T extends string>(table: Partial<Record<T, string>>, code: string | null): string | null =>
  code === null ? null : table[code as T] ? `${table[code as T]} (${code})` : code;

/**
 *   renderMessage(msg, 'ru')  // "Уведомление об инциденте — Раннее предупреждение\nИдентификатор сообщения: msg--..."
 */
export function renderMessage(msg: HotlineMessage, readerLang: ReaderLang): string {
  const v = vocabulary(readerLang);
  const lines: string[] = [];
  const line = (key: FieldKey, value: string | null) => {
    if (value !== null) lines.push(`${v.fields[key]}${v.colon}${value}`);
  };
  const yesNo = (b: boolean) => (b ? v.yesNo.yes : v.yesNo.no);
  const list = (xs: readonly string[]) => xs.join(v.comma);

  lines.push(msg.stage ? `${v.kinds[msg.kind]} — ${v.stages[msg.stage]}` : v.kinds[msg.kind]);
  if (msg.exercise) lines.push(`*** ${v.exerciseBanner} ***`);
  line('id', msg.id);
  if (msg.thread !== msg.id) line('thread', msg.thread);
  line('in_reply_to', msg.in_reply_to);
  line('incident', msg.incident);
  line('agreement', msg.agreement);
  line('channel', v.channels[msg.channel]);
  line('sender', `${msg.sender.party} (${msg.sender.node}) · ${v.fields['sender.poc']} ${msg.sender.poc}`);
  line('recipients', list(msg.recipients));
  line('urgency', v.urgencies[msg.urgency]);
  line('category', named(v.categories, msg.category));
  line('rsit', named(v.rsit, msg.rsit));
  if (msg.affected_sectors.length > 0)
    line('affected_sectors', list(msg.affected_sectors.map((s) => v.sectors[s as never] ?? s)));
  line('critical_infrastructure', yesNo(msg.critical_infrastructure));
  line('suspected_malicious', v.tristate[msg.suspected_malicious]);
  line('cross_border', v.tristate[msg.cross_border]);
  if (msg.requested_response_hours !== null)
    line('requested_response_hours', v.hours.replace('{h}', String(msg.requested_response_hours)));
  line('tlp', msg.tlp);
  line('pap', msg.pap);
  if (msg.stix.length > 0) line('stix', stixSummary(msg.stix));
  if (msg.permission) permissionLines(msg.permission, v, line);
  line('created', msg.created);
  if (primaryOf(msg.language) !== readerLang) line('language', languageName(msg.language, v));
  line('subject', msg.subject);
  if (msg.description !== '') {
    lines.push(`${v.fields.description}${v.colon.trimEnd()}`);
    for (const l of msg.description.split(/\r?\n/)) lines.push(`  ${l}`);
  }
  return `${lines.join('\n')}\n`;
}

const primaryOf = (tag: string) => tag.toLowerCase().split('-')[0] ?? '';

function languageName(tag: string, v: Vocabulary): string {
  const name = v.languages[primaryOf(tag) as ReaderLang];
  return name ? `${name} (${tag})` : tag;
}

/** "3 (indicator 2, malware 1)": types, in order of first appearance. */
function stixSummary(objects: readonly Record<string, unknown>[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(String(o.type), (counts.get(String(o.type)) ?? 0) + 1);
  return `${objects.length} (${[...counts].map(([t, n]) => `${t} ${n}`).join(', ')})`;
}

function permissionLines(
  p: NonNullable<HotlineMessage['permission']>,
  v: Vocabulary,
  line: (key: FieldKey, value: string | null) => void,
): void {
  line('permission.object_refs', p.object_refs.join(v.comma));
  line(
    'permission.share_with',
    p.share_with.map((w) => (w === 'agreement' ? v.everyParty : w)).join(v.comma),
  );
  line('permission.tlp', p.tlp);
  if (p.granted !== undefined) line('permission.granted', p.granted ? v.granted.yes : v.granted.no);
}
