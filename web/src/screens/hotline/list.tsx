/** Inbox (received) and outbox (sent), one row per message, grouped by thread. */
import { useState } from 'preact/hooks';
import { get } from '../../api/client.js';
import { useLiveEvents } from '../../api/events.js';
import type { MessageView } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { type UiKey, useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { Empty, ExerciseBadge, Pill, Show } from '../../ui/bits.js';
import { href } from '../../ui/route.js';
import { Countdown, Time } from '../../ui/time.js';
import { AckButton } from './ack.js';
import { ownPocs } from './data.js';

export function MessageList({ which }: { which: 'inbox' | 'sent' }) {
  const { t, v } = useI18n();
  const can = useCan();
  const [all, setAll] = useState(false);
  const r = useApi(
    async () => ({
      messages: (
        await get<{ messages: MessageView[] }>(`hotline/${which}`, {
          all: which === 'inbox' && all ? true : undefined,
        })
      ).messages,
      pocs: which === 'inbox' && can('hotline.write') ? (await ownPocs()).map((p) => p.id) : [],
    }),
    [which, all],
  );
  useLiveEvents(() => r.reload());
  const kind = (k: string) => v.kinds[k as keyof typeof v.kinds] ?? k;
  const urg = (u: string) => v.urgencies[u as keyof typeof v.urgencies] ?? u;
  const state = (s: string) => v.states[s as keyof typeof v.states] ?? s;
  return (
    <div>
      {which === 'inbox' && (
        <div class="field check">
          <input
            id="inbox-all"
            type="checkbox"
            checked={all}
            onChange={(e) => setAll((e.target as HTMLInputElement).checked)}
          />
          <label for="inbox-all">{t('hl.all')}</label>
        </div>
      )}
      <Show r={r}>
        {({ messages, pocs }) => {
          if (messages.length === 0) return <Empty />;
          const threads = new Map<string, MessageView[]>();
          for (const m of messages) threads.set(m.thread, [...(threads.get(m.thread) ?? []), m]);
          return (
            <table class="list" data-list={which}>
              <caption class="sr-only">{which === 'inbox' ? t('hl.inbox') : t('hl.outbox')}</caption>
              <thead>
                <tr>
                  <th scope="col">{v.fields.subject}</th>
                  <th scope="col">{v.fields.kind}</th>
                  <th scope="col">{which === 'inbox' ? t('hl.from') : t('hl.to')}</th>
                  <th scope="col">{v.fields.urgency}</th>
                  <th scope="col">{v.fields.created}</th>
                  <th scope="col">{t('hl.state')}</th>
                  <th scope="col">{t('hl.ack_due')}</th>
                </tr>
              </thead>
              {[...threads.entries()].map(([thread, ms]) => (
                <tbody key={thread} class="thread-group">
                  {ms.map((m) => (
                    <tr key={m.id} data-message={m.id}>
                      <td>
                        <ExerciseBadge on={m.exercise} />{' '}
                        <a href={href('hotline', 'thread', m.thread)}>{m.subject}</a>
                      </td>
                      <td>{kind(m.kind)}</td>
                      <td>{which === 'inbox' ? m.from : m.recipients.map((x) => x.node).join(', ')}</td>
                      <td>{urg(m.urgency)}</td>
                      <td>
                        <Time at={m.created} />
                      </td>
                      <td>
                        {m.recipients.map((x) => (
                          <div key={x.node} data-recipient={x.node}>
                            {which === 'sent' && `${x.node}: `}
                            <Pill kind={x.overdue ? 'bad' : x.acknowledgedAt ? 'ok' : 'muted'}>
                              {state(x.state)}
                            </Pill>{' '}
                            {x.acknowledgedAt && (
                              <span class="ack-status">{t(`hl.ack.${x.acknowledgement}` as UiKey)}</span>
                            )}
                          </div>
                        ))}
                      </td>
                      <td>
                        {m.recipients.map((x) =>
                          x.acknowledgedAt ? null : (
                            <div key={x.node}>
                              <Countdown due={x.ackDue} />
                            </div>
                          ),
                        )}
                        {which === 'inbox' &&
                          pocs.length > 0 &&
                          m.recipients.some((x) => !x.acknowledgedAt && x.ackDue) && (
                            <AckButton id={m.id} pocs={pocs} onDone={r.reload} />
                          )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          );
        }}
      </Show>
    </div>
  );
}
