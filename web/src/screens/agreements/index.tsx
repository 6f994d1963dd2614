/** Agreements: the text, parties, signatures, state, deadline table; propose and sign. */
import { useState } from 'preact/hooks';
import { get, post } from '../../api/client.js';
import type { AgreementView, PeerStatus } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { Empty, ErrorLine, Pill, Section, Show } from '../../ui/bits.js';
import { href, useRoute } from '../../ui/route.js';
import { Time } from '../../ui/time.js';

export function Agreements() {
  const { t } = useI18n();
  const can = useCan();
  const { parts } = useRoute();
  const r = useApi(() => get<{ items: AgreementView[] }>('agreements'));
  const selected = parts[0];
  return (
    <div class="screen" data-screen="agreements">
      <h1>{t('nav.agreements')}</h1>
      <Show r={r}>
        {({ items }) => (
          <>
            {items.length === 0 ? (
              <Empty />
            ) : (
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">{t('agr.title')}</th>
                    <th scope="col">{t('agr.state')}</th>
                    <th scope="col">{t('agr.parties')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <a href={href('agreements', a.id)}>{a.title || a.id}</a>
                      </td>
                      <td>
                        <Pill kind={a.state === 'in_force' ? 'ok' : 'muted'}>{a.state}</Pill>
                      </td>
                      <td>{a.parties.map((p) => p.party).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {selected && items.find((a) => a.id === selected) && (
              <Detail a={items.find((a) => a.id === selected)!} reload={r.reload} />
            )}
          </>
        )}
      </Show>
      {can('agreements.write') && <Propose onDone={r.reload} />}
    </div>
  );
}

function Detail({ a, reload }: { a: AgreementView; reload: () => void }) {
  const { t, v } = useI18n();
  const can = useCan();
  const [error, setError] = useState<Error | null>(null);
  const sign = async () => {
    try {
      await post(`agreements/${encodeURIComponent(a.id)}/sign`, {});
      reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Section title={a.title || a.id} id="agr-detail">
      <p>
        <Pill kind={a.state === 'in_force' ? 'ok' : 'muted'}>{a.state}</Pill>{' '}
        {a.inForceAt && <Time at={a.inForceAt} />}
      </p>
      <h3>{t('agr.signatures')}</h3>
      <ul>
        {a.parties.map((p) => (
          <li key={p.node}>
            {p.party} ({p.node}):{' '}
            {p.signed ? (
              <Pill kind="ok">{t('agr.signed')}</Pill>
            ) : (
              <Pill kind="warn">{t('agr.unsigned')}</Pill>
            )}
          </li>
        ))}
      </ul>
      {can('agreements.write') && a.latest?.missing?.length > 0 && (
        <button type="button" onClick={sign}>
          {t('agr.sign')}
        </button>
      )}
      <ErrorLine error={error} />
      <h3>{t('agr.deadlines')}</h3>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">{t('agr.kind')}</th>
            <th scope="col">{v.fields.urgency}</th>
            <th scope="col">{t('agr.ack')}</th>
            <th scope="col">{t('agr.respond')}</th>
          </tr>
        </thead>
        <tbody>
          {a.deadlines.map((d) => (
            <tr key={`${d.message_type}-${d.urgency}`}>
              <td>{d.message_type === '*' ? '*' : (v.kinds[d.message_type as 'rfa'] ?? d.message_type)}</td>
              <td>{v.urgencies[d.urgency as 'low'] ?? d.urgency}</td>
              <td>{v.hours.replace('{h}', String(d.acknowledge_hours))}</td>
              <td>{v.hours.replace('{h}', String(d.respond_hours))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('agr.text')}</h3>
      <pre class="doc">{JSON.stringify(a.latest?.doc, null, 2)}</pre>
    </Section>
  );
}

function Propose({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const peers = useApi(() => get<{ items: PeerStatus[] }>('peers'));
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post('agreements', { with: [...chosen], ...(title ? { title } : {}) });
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Section title={t('agr.propose')} id="agr-propose">
      <form onSubmit={submit}>
        <div class="field">
          <label for="agr-title">{t('agr.title')}</label>
          <input
            id="agr-title"
            value={title}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          />
        </div>
        <fieldset>
          <legend>{t('agr.with')}</legend>
          <Show r={peers}>
            {({ items }) =>
              items.map((p) => (
                <div class="field check" key={p.node}>
                  <input
                    id={`agr-with-${p.node}`}
                    type="checkbox"
                    checked={chosen.has(p.node)}
                    onChange={(e) => {
                      const s = new Set(chosen);
                      if ((e.target as HTMLInputElement).checked) s.add(p.node);
                      else s.delete(p.node);
                      setChosen(s);
                    }}
                  />
                  <label for={`agr-with-${p.node}`}>
                    {p.party} ({p.node})
                  </label>
                </div>
              ))
            }
          </Show>
        </fieldset>
        <button type="submit" disabled={chosen.size === 0}>
          {t('agr.propose')}
        </button>
        <ErrorLine error={error} />
      </form>
    </Section>
  );
}
