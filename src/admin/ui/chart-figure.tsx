/**
 * One chart of the report, drawn by Chart.js (bundled, no CDN) in the tokens' chart colours, with the same figures as
 * a table for screen readers (the canvas itself is an image with a name). The canvas says how many points it drew
 * (data-drawn), which the report's browser test reads.
 */
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { useEffect, useId, useRef } from 'react';

Chart.register(...registerables);

export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** The tokens' chart colours (--chart-1 …), read from the page's stylesheet. */
export function chartColors(): string[] {
  const style = getComputedStyle(document.documentElement);
  return [1, 2, 3, 4, 5, 6].map((n) => style.getPropertyValue(`--chart-${n}`).trim() || '#5d6778');
}

export function ChartFigure({ id, caption, config, table, empty }: { id: string; caption: string; config: ChartConfiguration; table: ChartTable; empty: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const captionId = useId();
  const points = config.data.datasets.reduce((sum, set) => sum + set.data.filter((v) => v !== null).length, 0);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const chart = new Chart(element, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
    element.dataset.drawn = String(points);
    return () => chart.destroy();
  }, [config, points]);
  return (
    <figure className="figure" aria-labelledby={captionId}>
      <figcaption id={captionId} className="figure-caption">{caption}</figcaption>
      {points === 0
        // An empty doughnut or axis says nothing: the period's lack of data is said in words instead.
        ? <div className="chart chart-empty" id={id}><p>{empty}</p></div>
        : <div className="chart"><canvas id={id} ref={canvas} role="img" aria-label={caption} /></div>}
      <table className="visually-hidden">
        <caption>{caption}</caption>
        <thead><tr>{table.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>{table.rows.map((row, i) => <tr key={i}>{row.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
      </table>
    </figure>
  );
}
