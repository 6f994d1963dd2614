/** Small pieces every screen uses: marks for exercise traffic and TLP labels, states, tables. */
import type { ComponentChildren } from 'preact';
import type { Loaded } from '../api/use-api.js';
import { useI18n } from '../i18n/index.js';

/** The exercise mark: on every message, thread, alert and figure that comes from exercise traffic. */
export function ExerciseBadge({ on }: { on: boolean | undefined }) {
  const { t } = useI18n();
  return on ? <span class="badge exercise">{t('exercise.badge')}</span> : null;
}

/** A TLP 2.0 label in its standard colours ("TLP:AMBER+STRICT", "amber", ...). */
export function Tlp({ label }: { label: string | null | undefined }) {
  if (!label) return <span>–</span>;
  const name = label.replace(/^TLP:/i, '').toLowerCase();
  return <span class={`tlp tlp-${name.replace('+', '-')}`}>TLP:{name.toUpperCase()}</span>;
}

export function Pill({
  kind,
  children,
}: {
  kind: 'ok' | 'bad' | 'warn' | 'muted';
  children: ComponentChildren;
}) {
  return <span class={`pill pill-${kind}`}>{children}</span>;
}

/** Shows a read's loading state or error, then its content. */
export function Show<T>({ r, children }: { r: Loaded<T>; children: (d: T) => ComponentChildren }) {
  const { t } = useI18n();
  if (r.error)
    return (
      <div class="error" role="alert">
        {t('app.error')}: {r.error.message}{' '}
        <button type="button" onClick={r.reload}>
          {t('app.retry')}
        </button>
      </div>
    );
  if (r.data === null) return <p aria-busy="true">{t('app.loading')}</p>;
  return <>{children(r.data)}</>;
}

export function Empty() {
  const { t } = useI18n();
  return <p class="muted">{t('app.empty')}</p>;
}

export function Section({
  title,
  children,
  id,
}: {
  title: string;
  children: ComponentChildren;
  id?: string;
}) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A form error from the API, naming the field when it does. */
export function ErrorLine({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}
