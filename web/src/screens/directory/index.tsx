/** Points of contact per party, with stale flags; ping tests (schedule, run, results). */
import { useState } from 'preact/hooks';
import { get, post } from '../../api/client.js';
import { useLiveEvents } from '../../api/events.js';
import type { DirectoryView } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { Empty, ErrorLine, ExerciseBadge, Pill, Section, Show } from '../../ui/bits.js';
import { durationText, Time } from '../../ui/time.js';

export function Directory() {
  const { t } = useI18n();
  const can = useCan();
  const r = useApi(() => get<DirectoryView>('directory'));
  return (
    <div class="screen" data-screen="directory">
      <h1>{t('nav.directory')}</h1>
      <Show r={r}>
        {(d) => (
          <>
            {d.flags.length > 0 && (
              <ul class="flags">
                {d.flags.map((f) => (
                  <li key={`${f.kind}-${f.node}-${f.poc ?? ''}`}>
                    <Pill kind="warn">{f.kind}</Pill> {f.message}
                  </li>
                ))}
              </ul>
            )}
            {d.parties.map((p) => (
              <Section key={p.node} title={`${p.party} (${p.node})`} id={`party-${p.node}`}>
                {p.pocs.length === 0 ? (
                  <Empty />
                ) : (
                  <table class="list">
                    <thead>
                      <tr>
                        <th scope="col">{t('dir.name')}</th>
                        <th scope="col">{t('dir.role')}</th>
                        <th scope="col">{t('dir.contact')}</th>
                        <th scope="col">{t('dir.confirmed')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.pocs.map((c) => (
                        <tr key={c.id}>
                          <td>
                            {c.name} <span class="muted">({c.id})</span>
                          </td>
                          <td>{c.role}</td>
                          <td>
                            {c.channels.join(', ')} · {c.hours} · {c.timezone} · {c.languages.join(', ')}
                          </td>
                          <td>
                            {c.confirmed_on}{' '}
                            {c.stale ? (
                              <Pill kind="bad">{t('dir.stale')}</Pill>
                            ) : (
                              <Pill kind="ok">{t('dir.fresh')}</Pill>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Section>
            ))}
          </>
        )}
      </Show>
      {can('pings') && <Pings />}
    </div>
  );
}

interface PingSchedule {
  everyDays: number;
  pocs: string[] | null;
  nextAt: string | null;
  lastRun: string | null;
}
interface PingResults {
  run: string | null;
  passed: number;
  failed: number;
  pending: number;
  pings: {
    id: string;
    owner: string;
    poc: string;
    sentAt?: string | null;
    acknowledgedAt?: string | null;
    ackMs: number | null;
    outcome: string;
    reason?: string | null;
    exercise?: boolean;
  }[];
}

function Pings() {
  const { t } = useI18n();
  const r = useApi(async () => ({
    schedule: await get<PingSchedule | null>('hotline/pings/schedule').catch(() => null),
    results: await get<PingResults>('hotline/pings/results'),
  }));
  useLiveEvents((e) => {
    if (e.name === 'ping' || e.name === 'state') r.reload();
  });
  const [every, setEvery] = useState('182');
  const [error, setError] = useState<Error | null>(null);
  const act = (path: string, body: unknown) => async () => {
    setError(null);
    try {
      await post(path, body);
      r.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Section title={t('dir.pings')} id="pings">
      <Show r={r}>
        {({ schedule, results }) => (
          <>
            <p>
              {t('dir.next')}: <Time at={schedule?.nextAt ?? null} />
            </p>
            <div class="row">
              <div class="field">
                <label for="ping-every">{t('dir.every')}</label>
                <input
                  id="ping-every"
                  type="number"
                  min="1"
                  value={every}
                  onInput={(e) => setEvery((e.target as HTMLInputElement).value)}
                />
              </div>
              <button type="button" onClick={act('hotline/pings/schedule', { every: Number(every) })}>
                {t('dir.save_schedule')}
              </button>
              <button type="button" onClick={act('hotline/pings/run', {})}>
                {t('dir.run')}
              </button>
            </div>
            <ErrorLine error={error} />
            <h3>{t('dir.results')}</h3>
            <p>
              {t('dir.summary', {
                passed: results.passed ?? 0,
                failed: results.failed ?? 0,
                pending: results.pending ?? 0,
              })}
            </p>
            {(results.pings ?? []).length === 0 ? (
              <Empty />
            ) : (
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">{t('dir.party')}</th>
                    <th scope="col">{t('dir.name')}</th>
                    <th scope="col">{t('dir.outcome')}</th>
                    <th scope="col">{t('dir.ack_in')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.pings.map((p) => (
                    <tr key={p.id}>
                      <td>{p.owner}</td>
                      <td>
                        <ExerciseBadge on={p.exercise} /> {p.poc}
                      </td>
                      <td>
                        <Pill kind={p.outcome === 'passed' ? 'ok' : p.outcome === 'failed' ? 'bad' : 'muted'}>
                          {p.outcome}
                        </Pill>{' '}
                        {p.reason}
                      </td>
                      <td>{p.ackMs === null ? '–' : durationText(p.ackMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Show>
    </Section>
  );
}
