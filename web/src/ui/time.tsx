/** Times in the reader's time zone with UTC beside, and durations for countdowns. */
import { useEffect, useState } from 'preact/hooks';
import { LOCALES, useI18n } from '../i18n/index.js';

const two = (n: number) => String(n).padStart(2, '0');

/** "14:05 UTC" or "2026-03-01 14:05 UTC". */
export function utcText(d: Date, withDate = true): string {
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  return withDate ? `${date} ${time}` : time;
}

/** A moment: local date and time in the UI's language, then UTC. */
export function Time({ at }: { at: string | number | null | undefined }) {
  const { lang, t } = useI18n();
  if (at === null || at === undefined || at === '') return <span>–</span>;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return <span>{String(at)}</span>;
  const local = new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
  // The UTC date is shown only where it differs from the local one.
  const sameDay = d.getDate() === d.getUTCDate() && d.getMonth() === d.getUTCMonth();
  return (
    <time dateTime={d.toISOString()} class="time">
      {local}{' '}
      <span class="utc">
        ({utcText(d, !sameDay)} {t('time.utc')})
      </span>
    </time>
  );
}

/** "3 h 05 min", "2 d 4 h", "45 s". */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${two(m % 60)} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The current time, refreshed every `everyMs`: what countdowns tick on. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** A countdown to a deadline: "in 3 h 05 min", or "overdue by 12 min" once passed. */
export function Countdown({ due }: { due: string | null | undefined }) {
  const { t } = useI18n();
  const now = useNow();
  if (!due) return <span>–</span>;
  const left = Date.parse(due) - now;
  const d = durationText(Math.abs(left));
  return (
    <span class={left < 0 ? 'countdown late' : 'countdown'} role="timer">
      {left < 0 ? t('time.overdue_by', { d }) : t('time.in', { d })}
    </span>
  );
}
