/** A compliance trend as a chart. */
import type { TrendPoint } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { LineChart } from './chart.js';

/** The compliance trend: share acknowledged within deadline, reachability and pings answered. */
export function TrendChart({ title, trend }: { title: string; trend: TrendPoint[] }) {
  const { t } = useI18n();
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 100));
  return (
    <LineChart
      title={title}
      range={[0, 100]}
      labels={trend.map((p) => p.period)}
      series={[
        {
          label: `${t('hl.ack.within deadline')} %`,
          values: trend.map((p) => pct(p.ackWithinShare)),
          color: '#1a5fb4',
        },
        {
          label: `${t('dash.reachable')} %`,
          values: trend.map((p) => pct(p.reachability)),
          color: '#26734d',
        },
        {
          label: `${t('dir.pings')} %`,
          values: trend.map((p) =>
            p.pingsSent ? Math.round((100 * p.pingsAcknowledged) / p.pingsSent) : null,
          ),
          color: '#a34d00',
        },
      ]}
    />
  );
}
