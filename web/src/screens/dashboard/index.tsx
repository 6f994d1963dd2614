/** The first screen: what is in force, what waits, what is late, who is reachable, the ledger. */
import { get } from '../../api/client.js';
import { useLiveEvents } from '../../api/events.js';
import type { Dashboard as Data } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { Empty, ExerciseBadge, Pill, Section, Show, Tlp } from '../../ui/bits.js';
import { href } from '../../ui/route.js';
import { Countdown, durationText, Time } from '../../ui/time.js';
import { TrendChart } from '../../ui/trend.js';

const TLP_ORDER = ['clear', 'green', 'amber', 'amber+strict', 'red', 'none'];

export function Dashboard() {
  const r = useApi(async () => ({ at: Date.now(), d: await get<Data>('dashboard') }));
  useLiveEvents(() => r.reload());
  const { t, v } = useI18n();
  return (
    <div class="screen" data-screen="dashboard">
      <h1>{t('nav.dashboard')}</h1>
      <Show r={r}>
        {({ at, d }) => (
          <div class="grid">
            {d.agreements && (
              <Section title={`${t('dash.agreements')}: ${d.agreements.inForce}`} id="dash-agr">
                {d.agreements.items.length === 0 ? (
                  <Empty />
                ) : (
                  <ul>
                    {d.agreements.items.map((a) => (
                      <li key={a.id}>
                        <a href={href('agreements', a.id)}>{a.title || a.id}</a>{' '}
                        <span class="muted">{a.parties.map((p) => p.party).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            {d.hotline && (
              <Section title={`${t('dash.awaiting')}: ${d.hotline.awaitingAck.length}`} id="dash-await">
                {d.hotline.awaitingAck.length === 0 ? (
                  <Empty />
                ) : (
                  <ul class="items">
                    {d.hotline.awaitingAck.map((m) => (
                      <li key={`${m.id}-${m.peer}`}>
                        <ExerciseBadge on={m.exercise} />{' '}
                        <a href={href('hotline', 'thread', m.thread)}>{m.subject}</a>{' '}
                        <span class="muted">
                          {v.kinds[m.kind as keyof typeof v.kinds] ?? m.kind} ·{' '}
                          {m.direction === 'in' ? '←' : '→'} {m.peer} ·{' '}
                          {v.urgencies[m.urgency as keyof typeof v.urgencies] ?? m.urgency}
                        </span>{' '}
                        <Countdown due={new Date(at + m.msLeft).toISOString()} />
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            {d.hotline && (
              <Section title={`${t('dash.overdue')}: ${d.hotline.overdue.length}`} id="dash-overdue">
                {d.hotline.overdue.length === 0 ? (
                  <Empty />
                ) : (
                  <ul class="items">
                    {d.hotline.overdue.map((m) => (
                      <li key={`${m.id}-${m.peer}`}>
                        <ExerciseBadge on={m.exercise} />{' '}
                        <a href={href('hotline', 'thread', m.thread)}>{m.subject}</a>{' '}
                        <span class="muted">
                          {m.direction === 'in' ? '←' : '→'} {m.peer}
                        </span>{' '}
                        <Pill kind="bad">{t('time.overdue_by', { d: durationText(m.msOver) })}</Pill>
                        {m.escalated && <Pill kind="warn">{t('hl.escalated')}</Pill>}
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  {t('dash.alerts')}: {d.hotline.alerts}
                </p>
              </Section>
            )}
            {d.peers && (
              <Section title={t('dash.peers')} id="dash-peers">
                {d.peers.length === 0 ? (
                  <Empty />
                ) : (
                  <ul>
                    {d.peers.map((p) => (
                      <li key={p.node}>
                        {p.party} <span class="muted">({p.node})</span>{' '}
                        {p.reachable === null ? (
                          <Pill kind="muted">–</Pill>
                        ) : p.reachable ? (
                          <Pill kind="ok">{t('dash.reachable')}</Pill>
                        ) : (
                          <Pill kind="bad">{t('dash.unreachable')}</Pill>
                        )}{' '}
                        {p.lastDelivered && (
                          <span class="muted">
                            <Time at={p.lastDelivered} />
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            {d.ledger && (
              <Section title={t('dash.ledger')} id="dash-ledger">
                <dl>
                  <dt>{t('dash.size')}</dt>
                  <dd>{d.ledger.size}</dd>
                  <dt>{t('dash.last_verified')}</dt>
                  <dd>
                    {d.ledger.lastVerification ? (
                      <>
                        <Time at={d.ledger.lastVerification.at ?? d.ledger.lastVerification.finished} />{' '}
                        <Pill kind={d.ledger.lastVerification.ok ? 'ok' : 'bad'}>
                          {d.ledger.lastVerification.ok ? '✓' : '✗'}
                        </Pill>
                      </>
                    ) : (
                      '–'
                    )}
                  </dd>
                  <dt>{t('dash.last_gossip')}</dt>
                  <dd>
                    {d.ledger.lastGossip ? (
                      <>
                        {d.ledger.lastGossip.peer} <Time at={d.ledger.lastGossip.at} />
                      </>
                    ) : (
                      '–'
                    )}
                  </dd>
                  <dt>{t('dash.alerts')}</dt>
                  <dd>
                    {d.ledger.alerts.length === 0
                      ? '0'
                      : d.ledger.alerts.map((a) => (
                          <Pill key={a.id} kind="bad">
                            {a.code}
                          </Pill>
                        ))}
                  </dd>
                </dl>
              </Section>
            )}
            {d.intel && (
              <Section title={t('dash.intel')} id="dash-intel">
                <ul class="tlp-counts">
                  {TLP_ORDER.filter((k) => k in d.intel!.byTlp).map((k) => (
                    <li key={k}>
                      {k === 'none' ? <span>–</span> : <Tlp label={k} />} {d.intel!.byTlp[k]}
                    </li>
                  ))}
                </ul>
                <ul>
                  {d.intel.recent.slice(0, 8).map((o) => (
                    <li key={o.id}>
                      <Tlp label={o.tlp} /> <a href={href('intel', o.id)}>{o.name ?? o.id}</a>{' '}
                      <span class="muted">
                        {o.type} · {o.origin}
                      </span>
                    </li>
                  ))}
                </ul>
              </Section>
            )}
            {d.compliance && (
              <Section title={t('dash.compliance')} id="dash-comp">
                {d.compliance.length === 0 ? (
                  <Empty />
                ) : (
                  d.compliance.map((c) => (
                    <TrendChart key={c.agreement} title={`${c.title} · ${c.period}`} trend={c.trend} />
                  ))
                )}
              </Section>
            )}
          </div>
        )}
      </Show>
    </div>
  );
}
