/** Threat intel: search and filter, one object with its relationships, ingest a file with progress. */
import { useState } from 'preact/hooks';
import { api, get } from '../../api/client.js';
import type { ObjectSummary } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { Empty, ErrorLine, Section, Show, Tlp } from '../../ui/bits.js';
import { href, useRoute } from '../../ui/route.js';
import { Time } from '../../ui/time.js';

const TYPES = [
  'indicator',
  'malware',
  'attack-pattern',
  'threat-actor',
  'campaign',
  'intrusion-set',
  'tool',
  'vulnerability',
  'report',
  'identity',
];
const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'];

interface Filter {
  q: string;
  type: string;
  tlp: string;
  origin: string;
  from: string;
  to: string;
}

export function Intel() {
  const { t } = useI18n();
  const can = useCan();
  const { parts } = useRoute();
  const [f, setF] = useState<Filter>({ q: '', type: '', tlp: '', origin: '', from: '', to: '' });
  const [applied, setApplied] = useState(f);
  const r = useApi(
    () => get<{ items: ObjectSummary[]; next: string | null }>('intel', { ...applied, limit: 50 }),
    [applied],
  );
  const input = (k: keyof Filter, label: string, type = 'text') => (
    <div class="field">
      <label for={`i-${k}`}>{label}</label>
      <input
        id={`i-${k}`}
        type={type}
        value={f[k]}
        onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })}
      />
    </div>
  );
  const select = (k: keyof Filter, label: string, options: string[]) => (
    <div class="field">
      <label for={`i-${k}`}>{label}</label>
      <select
        id={`i-${k}`}
        value={f[k]}
        onChange={(e) => setF({ ...f, [k]: (e.target as HTMLSelectElement).value })}
      >
        <option value="">{t('intel.any')}</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  );
  return (
    <div class="screen" data-screen="intel">
      <h1>{t('nav.intel')}</h1>
      <form
        class="row filters"
        aria-label={t('intel.search')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(f);
        }}
      >
        {input('q', t('intel.search'), 'search')}
        {select('type', t('intel.type'), TYPES)}
        {select('tlp', t('intel.tlp'), TLPS)}
        {input('origin', t('intel.origin'))}
        {input('from', t('intel.since'), 'date')}
        {input('to', t('intel.until'), 'date')}
        <button type="submit">{t('intel.search')}</button>
      </form>
      {parts[0] && <ObjectDetail id={parts[0]} />}
      <Show r={r}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty />
          ) : (
            <table class="list">
              <caption class="sr-only">{t('intel.results', { n: items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('intel.name')}</th>
                  <th scope="col">{t('intel.type')}</th>
                  <th scope="col">{t('intel.tlp')}</th>
                  <th scope="col">{t('intel.origin')}</th>
                  <th scope="col">{t('intel.modified')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <a href={href('intel', o.id)}>{o.name ?? o.id}</a>
                    </td>
                    <td>{o.type}</td>
                    <td>
                      <Tlp label={o.tlp} />
                    </td>
                    <td>{o.origin}</td>
                    <td>
                      <Time at={o.modified} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
      {can('intel.write') && <Ingest onDone={r.reload} />}
    </div>
  );
}

interface ObjectView {
  object: Record<string, unknown>;
  summary: ObjectSummary;
  relationships: {
    id: string;
    type: string;
    relationship: string;
    direction: 'out' | 'in';
    other: Partial<ObjectSummary> & { id: string };
  }[];
}

function ObjectDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const r = useApi(() => get<ObjectView>(`intel/objects/${encodeURIComponent(id)}`), [id]);
  return (
    <Show r={r}>
      {(o) => (
        <Section title={o.summary.name ?? o.summary.id} id="intel-object">
          <p>
            <Tlp label={o.summary.tlp} /> {o.summary.type} · {o.summary.origin} ·{' '}
            <Time at={o.summary.modified} />
          </p>
          <h3>{t('intel.relationships')}</h3>
          {o.relationships.length === 0 ? (
            <Empty />
          ) : (
            <ul>
              {o.relationships.map((x) => (
                <li key={x.id}>
                  {x.direction === 'out' ? '→' : '←'} {x.relationship}{' '}
                  <a href={href('intel', x.other.id)}>{x.other.name ?? x.other.id}</a>
                </li>
              ))}
            </ul>
          )}
          <pre class="doc">{JSON.stringify(o.object, null, 2)}</pre>
        </Section>
      )}
    </Show>
  );
}

interface Job {
  job: string;
  state: 'running' | 'done' | 'failed';
  bytes: number;
  totalBytes: number;
  objects: number;
  summary?: { stored: number; present: number; rejected: number };
  error?: { message: string };
}

function Ingest({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    try {
      const { job: id } = await api<{ job: string }>('POST', 'intel/ingest', {
        raw: file,
        contentType: 'application/json',
      });
      for (;;) {
        const j = await get<Job>(`intel/ingest/${encodeURIComponent(id)}`);
        setJob(j);
        if (j.state !== 'running') break;
        await new Promise((res) => setTimeout(res, 1000));
      }
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Section title={t('intel.ingest')} id="intel-ingest">
      <form onSubmit={submit} class="row">
        <div class="field">
          <label for="ingest-file">{t('intel.file')}</label>
          <input
            id="ingest-file"
            type="file"
            accept=".json,application/json"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <button type="submit" disabled={!file}>
          {t('intel.upload')}
        </button>
      </form>
      {job && (
        <div>
          <label for="ingest-progress">{t('intel.progress')}</label>{' '}
          <progress id="ingest-progress" max={job.totalBytes || 1} value={job.bytes} /> {job.objects}
          {job.summary && (
            <p>
              {t('intel.summary', {
                accepted: job.summary.stored + job.summary.present,
                rejected: job.summary.rejected,
              })}
            </p>
          )}
          {job.error && <p class="error">{job.error.message}</p>}
        </div>
      )}
      <ErrorLine error={error} />
    </Section>
  );
}
