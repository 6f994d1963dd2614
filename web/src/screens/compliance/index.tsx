/** Compliance: the signed report of an agreement for a period, with its charts; consultations. */
import { useState } from 'preact/hooks';
import { apiUrl, get } from '../../api/client.js';
import type { AgreementView, TrendPoint } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { Empty, Section, Show } from '../../ui/bits.js';
import { Time } from '../../ui/time.js';
import { TrendChart } from '../../ui/trend.js';

interface Report {
  agreement: string;
  period: { id: string; start: string; end: string };
  asOf: string;
  real: Record<string, Record<string, unknown>[]>;
  exercise: Record<string, Record<string, unknown>[]>;
  trend: TrendPoint[];
}

function currentQuarter(): string {
  const d = new Date();
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

export function Compliance() {
  const { t } = useI18n();
  const agreements = useApi(() => get<{ items: AgreementView[] }>('agreements'));
  const [agreement, setAgreement] = useState('');
  const [period, setPeriod] = useState(currentQuarter());
  const [asked, setAsked] = useState<{ agreement: string; period: string } | null>(null);
  const consultations = useApi(() => get<{ items: Record<string, unknown>[] }>('consultations'));
  return (
    <div class="screen" data-screen="compliance">
      <h1>{t('nav.compliance')}</h1>
      <Show r={agreements}>
        {({ items }) => (
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              setAsked({ agreement: agreement || items[0]?.id || '', period });
            }}
          >
            <div class="field">
              <label for="c-agr">{t('nav.agreements')}</label>
              <select
                id="c-agr"
                value={agreement}
                onChange={(e) => setAgreement((e.target as HTMLSelectElement).value)}
              >
                {items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.title || a.id}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="c-period">{t('comp.period')}</label>
              <input
                id="c-period"
                value={period}
                pattern="\d{4}(-Q[1-4]|-\d{2})?"
                onInput={(e) => setPeriod((e.target as HTMLInputElement).value)}
              />
            </div>
            <button type="submit" disabled={items.length === 0}>
              {t('comp.run')}
            </button>
          </form>
        )}
      </Show>
      {asked?.agreement && <ReportView agreement={asked.agreement} period={asked.period} />}
      <Section title={t('comp.consultations')} id="consultations">
        <Show r={consultations}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty />
            ) : (
              <ul>
                {items.map((c, i) => (
                  <li key={String(c.id ?? i)}>
                    {String(c.title ?? c.subject ?? c.id)} <span class="muted">{String(c.state ?? '')}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
      </Section>
    </div>
  );
}

function ReportView({ agreement, period }: { agreement: string; period: string }) {
  const { t } = useI18n();
  const r = useApi(
    () => get<Report>(`compliance/${encodeURIComponent(agreement)}`, { period, trend: 4 }),
    [agreement, period],
  );
  return (
    <Show r={r}>
      {(rep) => (
        <Section title={`${rep.period.id}`} id="report">
          <p>
            <Time at={rep.period.start} /> – <Time at={rep.period.end} />{' '}
            <a href={apiUrl(`compliance/${encodeURIComponent(agreement)}/report.html`, { period })} download>
              HTML
            </a>
          </p>
          <TrendChart title={t('comp.chart')} trend={rep.trend} />
          {Object.entries(rep.real).map(([name, rows]) => (
            <Measure key={name} name={name} rows={rows} />
          ))}
          {Object.entries(rep.exercise).map(([name, rows]) => (
            <Measure key={`x-${name}`} name={`${t('exercise.badge')}: ${name}`} rows={rows} />
          ))}
        </Section>
      )}
    </Show>
  );
}

const cell = (v: unknown) =>
  v === null || v === undefined
    ? '–'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? v
        : v.toFixed(2)
      : Array.isArray(v)
        ? v.length
        : typeof v === 'object'
          ? '…'
          : String(v);

function Measure({ name, rows }: { name: string; rows: Record<string, unknown>[] }) {
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const cols = Object.keys(rows[0]!).filter((k) => k !== 'evidence');
  return (
    <table class="list measure">
      <caption>{name}</caption>
      <thead>
        <tr>
          {cols.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cols.map((c) => (
              <td key={c}>{cell(r[c])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
