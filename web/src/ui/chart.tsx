/** A line chart with uPlot, plus the same figures as a table for screen readers. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

export function LineChart({
  title,
  labels,
  series,
  range,
}: {
  title: string;
  labels: string[];
  series: Series[];
  /** A fixed y range, e.g. [0, 100] for percentages. */
  range?: [number, number];
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const xs = labels.map((_, i) => i);
    const plot = new uPlot(
      {
        width: Math.max(280, Math.min(560, el.current.clientWidth || 480)),
        height: 200,
        scales: { x: { time: false }, ...(range ? { y: { range } } : {}) },
        axes: [{ values: (_u, ticks) => ticks.map((i) => labels[i] ?? '') }, {}],
        series: [
          {},
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true } })),
        ],
        legend: { show: true },
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el.current,
    );
    return () => plot.destroy();
  }, [labels, series, range, title]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={el} aria-hidden="true" />
      <table class="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">–</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((l, i) => (
            <tr key={l}>
              <th scope="row">{l}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] ?? '–'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
