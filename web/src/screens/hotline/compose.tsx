/** Compose a message from the standard templates; fields are checked as one types. */
import { useMemo, useState } from 'preact/hooks';
import { EN_TEMPLATES } from '../../../../src/hotline/model/i18n/templates-en.js';
import { RU_TEMPLATES } from '../../../../src/hotline/model/i18n/templates-ru.js';
import { ZH_TEMPLATES } from '../../../../src/hotline/model/i18n/templates-zh.js';
import { post } from '../../api/client.js';
import type { MessageView } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorLine, Show } from '../../ui/bits.js';
import { go } from '../../ui/route.js';
import { checkDraft, type Draft, sendBody } from './check.js';
import { agreementsInForce, docOf, ownPocs } from './data.js';

const TEMPLATES = { en: EN_TEMPLATES, ru: RU_TEMPLATES, zh: ZH_TEMPLATES };
const KINDS = ['notification', 'rfa', 'rfi', 'inquiry', 'advisory'] as const;
const STAGES = ['early-warning', 'notification', 'intermediate', 'final'] as const;
const URGENCIES = ['critical', 'high', 'medium', 'low'] as const;
const TLPS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];
const PAPS = ['PAP:CLEAR', 'PAP:GREEN', 'PAP:AMBER', 'PAP:RED'];

export function Compose() {
  const r = useApi(async () => ({ agreements: await agreementsInForce(), pocs: await ownPocs() }));
  const { t } = useI18n();
  return (
    <Show r={r}>
      {({ agreements, pocs }) =>
        agreements.length === 0 ? (
          <p class="error">{t('hl.no_agreement')}</p>
        ) : (
          <ComposeForm agreements={agreements} pocs={pocs.map((p) => p.id)} />
        )
      }
    </Show>
  );
}

function ComposeForm({
  agreements,
  pocs,
}: {
  agreements: Awaited<ReturnType<typeof agreementsInForce>>;
  pocs: string[];
}) {
  const { t, v, lang } = useI18n();
  const first = agreements[0]!;
  const doc0 = docOf(first);
  const [d, setD] = useState<Draft>({
    kind: 'notification',
    agreement: first.id,
    channel: doc0.channels?.[0] ?? 'technical',
    urgency: '',
    stage: 'early-warning',
    category: '',
    rsit: '',
    subject: '',
    description: '',
    tlp: doc0.sharing?.default_tlp ?? 'TLP:AMBER',
    pap: 'PAP:CLEAR',
    language: doc0.languages?.[0] ?? 'en',
    requested_response_hours: '',
    exercise: false,
    from: pocs[0] ?? '',
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverError, setServerError] = useState<{ field?: string; error: Error } | null>(null);
  const [busy, setBusy] = useState(false);
  const doc = docOf(agreements.find((a) => a.id === d.agreement));
  const problems = useMemo(() => checkDraft(d), [d]);
  const set = <K extends keyof Draft>(k: K, value: Draft[K]) => {
    setD((old) => ({ ...old, [k]: value }));
    setTouched((s) => new Set(s).add(k));
  };
  const rsitChoices = doc.taxonomy?.find((c) => c.code === d.category)?.rsit ?? [];
  const fillTemplate = () => {
    const tl = (['en', 'ru', 'zh'] as const).find((l) => d.language.toLowerCase().startsWith(l)) ?? lang;
    const set = TEMPLATES[tl];
    const tpl = d.kind === 'notification' ? set[d.stage as (typeof STAGES)[number]] : set[d.kind as 'rfa'];
    setD((old) => ({ ...old, subject: tpl.subject, description: tpl.description }));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(new Set(Object.keys(d)));
    if (Object.keys(problems).length) return;
    setBusy(true);
    setServerError(null);
    try {
      const sent = await post<MessageView>(
        'hotline/messages',
        sendBody(d, () => `inc--${crypto.randomUUID()}`),
      );
      go('hotline', 'thread', sent.thread ?? sent.id);
    } catch (err) {
      setServerError({ field: (err as { field?: string }).field, error: err as Error });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (k: keyof Draft) => {
    const p = touched.has(k) ? problems[k] : undefined;
    const label = v.fields[k as keyof typeof v.fields] ?? t('hl.as_poc');
    const text = p
      ? t(p.key, { field: label, n: p.n ?? '' })
      : serverError?.field === k
        ? serverError.error.message
        : '';
    return text ? (
      <span class="field-error" id={`err-${k}`} role="alert">
        {text}
      </span>
    ) : null;
  };
  const aria = (k: keyof Draft) => ({
    'aria-invalid': touched.has(k) && problems[k] ? true : undefined,
    'aria-describedby': (touched.has(k) && problems[k]) || serverError?.field === k ? `err-${k}` : undefined,
  });
  const select = (k: keyof Draft, label: string, options: [string, string][], required = false) => (
    <div class="field">
      <label for={`f-${k}`}>{label}</label>
      <select
        id={`f-${k}`}
        name={k}
        value={String(d[k])}
        required={required}
        onChange={(e) => set(k, (e.target as HTMLSelectElement).value as never)}
        {...aria(k)}
      >
        {!required || !d[k] ? <option value="">–</option> : null}
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {fieldError(k)}
    </div>
  );
  return (
    <form class="compose card" onSubmit={submit} noValidate>
      <h2>{t('hl.compose')}</h2>
      <div class="row">
        {select(
          'kind',
          t('hl.kind'),
          KINDS.map((k) => [k, v.kinds[k]]),
          true,
        )}
        {select(
          'agreement',
          v.fields.agreement,
          agreements.map((a) => [a.id, a.title || a.id]),
          true,
        )}
        {select(
          'channel',
          v.fields.channel,
          (doc.channels ?? ['technical']).map((c) => [c, v.channels[c as keyof typeof v.channels] ?? c]),
          true,
        )}
        {select(
          'urgency',
          v.fields.urgency,
          URGENCIES.map((u) => [u, v.urgencies[u]]),
          true,
        )}
      </div>
      <div class="row">
        {d.kind === 'notification' &&
          select(
            'stage',
            v.fields.stage,
            STAGES.map((s) => [s, v.stages[s]]),
            true,
          )}
        {select(
          'category',
          v.fields.category,
          (doc.taxonomy ?? []).map((c) => [
            c.code,
            `${c.code} ${v.categories[c.code as keyof typeof v.categories] ?? ''}`,
          ]),
        )}
        {select(
          'rsit',
          v.fields.rsit,
          rsitChoices.map((c) => [c, v.rsit[c as keyof typeof v.rsit] ?? c]),
        )}
      </div>
      <p>
        <button type="button" onClick={fillTemplate}>
          {t('hl.template')}
        </button>
      </p>
      <div class="field">
        <label for="f-subject">{v.fields.subject}</label>
        <input
          id="f-subject"
          name="subject"
          value={d.subject}
          onInput={(e) => set('subject', (e.target as HTMLInputElement).value)}
          {...aria('subject')}
        />
        {fieldError('subject')}
      </div>
      <div class="field">
        <label for="f-description">{v.fields.description}</label>
        <textarea
          id="f-description"
          name="description"
          rows={8}
          value={d.description}
          onInput={(e) => set('description', (e.target as HTMLTextAreaElement).value)}
          {...aria('description')}
        />
        {fieldError('description')}
      </div>
      <div class="row">
        {select(
          'tlp',
          v.fields.tlp,
          TLPS.map((x) => [x, x]),
          true,
        )}
        {select(
          'pap',
          v.fields.pap,
          PAPS.map((x) => [x, x]),
          true,
        )}
        {select(
          'language',
          v.fields.language,
          (doc.languages ?? ['en']).map((l) => [l, v.languages[l.slice(0, 2) as 'en'] ?? l]),
          true,
        )}
        <div class="field">
          <label for="f-requested_response_hours">{v.fields.requested_response_hours}</label>
          <input
            id="f-requested_response_hours"
            name="requested_response_hours"
            type="number"
            min="1"
            max="8760"
            value={d.requested_response_hours}
            onInput={(e) => set('requested_response_hours', (e.target as HTMLInputElement).value)}
            {...aria('requested_response_hours')}
          />
          {fieldError('requested_response_hours')}
        </div>
        {select(
          'from',
          t('hl.as_poc'),
          pocs.map((p) => [p, p]),
          true,
        )}
      </div>
      <div class="field check">
        <input
          id="f-exercise"
          type="checkbox"
          checked={d.exercise}
          onChange={(e) => set('exercise', (e.target as HTMLInputElement).checked)}
        />
        <label for="f-exercise">{v.fields.exercise}</label>
      </div>
      {serverError && <ErrorLine error={serverError.error} />}
      <button type="submit" class="primary" disabled={busy}>
        {t('hl.send')}
      </button>
    </form>
  );
}
