/**
 * A thread: every message both ways, and for each recipient a timeline of receipt and
 * acknowledgement against the deadline; acknowledge, respond, escalate, close.
 */
import { useState } from 'preact/hooks';
import { get, post } from '../../api/client.js';
import { useLiveEvents } from '../../api/events.js';
import type { MessageView, RecipientView, ThreadView } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { type UiKey, useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { ErrorLine, ExerciseBadge, Pill, Show, Tlp } from '../../ui/bits.js';
import { Time } from '../../ui/time.js';
import { AckButton } from './ack.js';
import { ownPocs } from './data.js';

export function Thread({ id }: { id: string }) {
  const can = useCan();
  const r = useApi(
    async () => ({
      thread: await get<ThreadView>(`hotline/threads/${encodeURIComponent(id)}`),
      pocs: can('hotline.write') ? (await ownPocs()).map((p) => p.id) : [],
    }),
    [id],
  );
  useLiveEvents((e) => {
    if (e.name === 'open' || e.data.thread === id) r.reload();
  });
  const { t, v } = useI18n();
  return (
    <Show r={r}>
      {({ thread, pocs }) => (
        <article class="thread" data-thread={thread.id}>
          <h2>
            <ExerciseBadge on={thread.exercise} /> {thread.subject}
          </h2>
          <p class="muted">
            {t('hl.thread', { id: thread.id })} · {t('hl.channels')}:{' '}
            {thread.channels.map((c) => v.channels[c as keyof typeof v.channels] ?? c).join(' → ')} ·{' '}
            <Time at={thread.openedAt} />
            {thread.closedAt && (
              <>
                {' '}
                · <Pill kind="muted">{v.states.closed}</Pill> <Time at={thread.closedAt} />
              </>
            )}
          </p>
          {thread.messages.map((m) => (
            <MessageCard key={m.id} m={m} pocs={pocs} open={!thread.closedAt} reload={r.reload} />
          ))}
          {thread.alerts.length > 0 && (
            <ul class="alerts">
              {thread.alerts.map((a) => (
                <li key={a.id}>
                  <ExerciseBadge on={a.exercise} /> <Pill kind="warn">{a.kind}</Pill> {a.text}{' '}
                  <Time at={a.createdAt} />
                </li>
              ))}
            </ul>
          )}
          {can('hotline.write') && !thread.closedAt && <ThreadActions thread={thread} reload={r.reload} />}
        </article>
      )}
    </Show>
  );
}

function MessageCard({
  m,
  pocs,
  open,
  reload,
}: {
  m: MessageView;
  pocs: string[];
  open: boolean;
  reload: () => void;
}) {
  const { t, v } = useI18n();
  const can = useCan();
  const needsAck = m.direction === 'in' && open && m.recipients.some((x) => !x.acknowledgedAt && x.ackDue);
  return (
    <section class="card message" data-message={m.id} aria-label={m.subject}>
      <h3>
        <ExerciseBadge on={m.exercise} /> {v.kinds[m.kind as keyof typeof v.kinds] ?? m.kind}: {m.subject}
      </h3>
      <p class="muted">
        {m.direction === 'in' ? '←' : '→'} {m.message.sender.party} ({m.from}) ·{' '}
        {v.urgencies[m.urgency as 'low'] ?? m.urgency} · {v.channels[m.channel as 'technical'] ?? m.channel} ·{' '}
        <Tlp label={m.message.tlp} /> · {m.message.pap}
      </p>
      <pre class="description" lang={m.message.language}>
        {m.message.description}
      </pre>
      <h4>{t('hl.timeline')}</h4>
      {m.recipients.map((x) => (
        <Timeline key={x.node} m={m} x={x} />
      ))}
      {needsAck && can('hotline.write') && pocs.length > 0 && (
        <AckButton id={m.id} pocs={pocs} onDone={reload} />
      )}
      {m.direction === 'in' && open && can('hotline.write') && m.kind !== 'closure' && (
        <Respond id={m.id} onDone={reload} />
      )}
    </section>
  );
}

/** One recipient's line: created, delivered, acknowledged, answered, against the deadlines. */
function Timeline({ m, x }: { m: MessageView; x: RecipientView }) {
  const { t, v } = useI18n();
  const start = Date.parse(m.created);
  const points: { at: number; label: string; cls: string }[] = [
    { at: start, label: t('hl.ev.created'), cls: 'ev-created' },
  ];
  if (x.deliveredAt)
    points.push({
      at: Date.parse(x.deliveredAt),
      label: t('hl.ev.delivered', { node: x.node }),
      cls: 'ev-delivered',
    });
  if (x.acknowledgedAt)
    points.push({
      at: Date.parse(x.acknowledgedAt),
      label: t('hl.ev.acknowledged', { node: x.node, poc: x.ackPoc ?? '' }),
      cls: 'ev-ack',
    });
  if (x.respondedAt)
    points.push({
      at: Date.parse(x.respondedAt),
      label: t('hl.ev.responded', { node: x.node }),
      cls: 'ev-resp',
    });
  if (x.ackDue)
    points.push({ at: Date.parse(x.ackDue), label: t('hl.ev.ack_due', { node: x.node }), cls: 'ev-due' });
  if (x.respondDue)
    points.push({
      at: Date.parse(x.respondDue),
      label: t('hl.ev.respond_due', { node: x.node }),
      cls: 'ev-due',
    });
  points.sort((a, b) => a.at - b.at);
  const end = Math.max(...points.map((p) => p.at), Date.now());
  const span = Math.max(1, end - start);
  const status = x.acknowledgement;
  return (
    <div class="timeline" data-recipient={x.node}>
      <p>
        <strong>{x.node}</strong>:{' '}
        <Pill kind={x.overdue ? 'bad' : 'muted'}>{v.states[x.state as 'sent'] ?? x.state}</Pill>{' '}
        <span class={`ack-status ack-${status.replace(' ', '-')}`} data-ack={status}>
          {t(`hl.ack.${status}` as UiKey)}
        </span>
        {x.escalated && (
          <>
            {' '}
            <Pill kind="warn">{t('hl.escalated')}</Pill>
          </>
        )}
        {x.error && <span class="error"> {x.error}</span>}
      </p>
      <div class="bar" aria-hidden="true">
        {points.map((p) => (
          <span
            key={p.cls + p.at}
            class={`mark ${p.cls}`}
            style={{ left: `${((p.at - start) / span) * 100}%` }}
            title={p.label}
          />
        ))}
      </div>
      <ol class="events">
        {points.map((p) => (
          <li key={p.cls + p.at} class={p.cls}>
            <Time at={p.at} /> {p.label}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Respond({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const fid = `respond-${id}`;
  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`hotline/messages/${encodeURIComponent(id)}/respond`, { description: text });
      setText('');
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="respond" onSubmit={send}>
      <label for={fid}>{t('hl.response_text')}</label>
      <textarea
        id={fid}
        rows={3}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      <button type="submit" disabled={!text.trim()}>
        {t('hl.respond')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

function ThreadActions({ thread, reload }: { thread: ThreadView; reload: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<Error | null>(null);
  const overdue = thread.messages.some(
    (m) => m.direction === 'out' && m.recipients.some((x) => x.overdue && !x.escalated),
  );
  const act = (path: string) => async () => {
    setError(null);
    try {
      await post(path, {});
      reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <div class="actions">
      {overdue && (
        // Escalation is the deadline check's: it re-sends each missed acknowledgement one channel up.
        <button type="button" onClick={act('hotline/deadlines/check')}>
          {t('hl.escalate')}
        </button>
      )}
      <button type="button" onClick={act(`hotline/threads/${encodeURIComponent(thread.id)}/close`)}>
        {t('hl.close')}
      </button>
      <ErrorLine error={error} />
    </div>
  );
}
