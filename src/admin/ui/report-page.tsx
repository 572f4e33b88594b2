/**
 * The voice-of-the-customer report (/admin/report; every figure is defined in docs/report.md): the totals as tiles,
 * three charts, the questions the bot could not answer (each with a link to write its article in the studio, or as a
 * file), and the figures per flow and per channel, for a period the admin picks. Texts from the data (customers'
 * questions, flow names) are rendered as text by React, never as HTML.
 */
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Picker } from '../../ui/picker.tsx';
import * as api from './api.ts';
import type { Report } from './api.ts';
import { ChartFigure, chartColors, type ChartTable } from './chart-figure.tsx';
import { duration, percent, period, rating, tiles } from './figures.ts';

const PERIODS = [
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
];

export function ReportPage() {
  const [since, setSince] = useState('7d');
  const [report, setReport] = useState<Report>();
  const [status, setStatus] = useState('Loading…');
  useEffect(() => {
    let current = true;
    setStatus('Loading…');
    api.report(since).then((loaded) => {
      if (!current) return;
      setReport(loaded);
      setStatus(period(loaded));
    }, (error: unknown) => {
      if (current) setStatus(`The report could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
    });
    return () => { current = false; };
  }, [since]);
  useEffect(() => { if (report) document.body.dataset.ready = 'true'; }, [report]);

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">What customers did, and what they said about it</h1>
        <Picker className="period" label="Period" value={since} onChange={setSince} options={PERIODS} />
      </div>
      <p id="status" role="status" className="muted">{status}</p>
      {report ? <ReportBody report={report} /> : null}
    </>
  );
}

function ReportBody({ report }: { report: Report }) {
  const charts = useMemo(() => chartsOf(report), [report]);
  return (
    <>
      <section aria-label="Totals" className="tiles" id="tiles">
        {tiles(report.totals).map(([label, value]) => (
          <div className="tile" key={label}><div className="value">{value}</div><div className="label">{label}</div></div>
        ))}
      </section>
      <section aria-label="Charts" className="charts">
        {charts.map((chart) => <ChartFigure key={chart.id} {...chart} />)}
      </section>
      <section aria-labelledby="gaps-title">
        <h2 id="gaps-title">Questions the bot could not answer</h2>
        <p className="muted">Grouped by similarity, most frequent first. Write the article and the bot answers them from then on.</p>
        <DataTable id="gaps" columns={['asked', 'question', 'also asked as', 'nearest article', 'write it']} numeric={[0]} empty="No unanswered questions in this period."
          rows={report.gaps.map((g) => [`${g.count}×`, g.question, g.examples.join(' · '), g.nearestArticleId ?? '–', <GapLinks key="links" questions={[g.question, ...g.examples].slice(0, 4)} />])} />
      </section>
      <section aria-labelledby="flows-title">
        <h2 id="flows-title">Per flow</h2>
        <DataTable id="flows" columns={['flow', 'conversations', 'without a person', 'handoffs', 'rating', 'drop-offs']} numeric={[1, 2, 3, 4, 5]} empty="No conversations in this period."
          rows={report.byFlow.map((f) => [f.flow, String(f.conversations), percent(f.containment), String(f.handoffs), rating(f.rating), String(f.dropOffs)])} />
      </section>
      <section aria-labelledby="channels-title">
        <h2 id="channels-title">Per channel</h2>
        <DataTable id="channels" columns={['channel', 'conversations', 'without a person', 'first response (median)', 'time to a person (median)', 'rating']} numeric={[1, 2, 3, 4, 5]} empty="No conversations in this period."
          rows={report.byChannel.map((c) => [c.channel, String(c.conversations), percent(c.containment), duration(c.firstResponseMs.median), duration(c.timeToPersonMs.median), rating(c.rating)])} />
      </section>
    </>
  );
}

/** A gap's article: in Parley Studio as a draft with the customers' wordings as its questions, or as a file to save. */
function GapLinks({ questions }: { questions: string[] }) {
  const query = (name: string) => new URLSearchParams(questions.map((q) => [name, q])).toString();
  return <><a href={`/studio?${query('article')}`}>write the article</a> · <a href={`/admin/report/article?${query('q')}`}>as a file</a></>;
}

function DataTable({ id, columns, rows, numeric, empty }: { id: string; columns: string[]; rows: ReactNode[][]; numeric: number[]; empty: string }) {
  const align = (i: number) => (numeric.includes(i) ? 'num' : undefined);
  return (
    <div className="table-frame">
      <table id={id} className="data">
        <thead><tr>{columns.map((c, i) => <th key={c} scope="col" className={align(i)}>{c}</th>)}</tr></thead>
        <tbody>
          {rows.length === 0
            ? <tr><td colSpan={columns.length} className="empty">{empty}</td></tr>
            : rows.map((row, r) => <tr key={r}>{row.map((v, i) => <td key={i} className={align(i)}>{v}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

interface Chart { id: string; caption: string; config: ChartConfiguration; table: ChartTable; empty: string }

function chartsOf(report: Report): Chart[] {
  const [c1, c2, c3, c4, c5, c6] = chartColors() as [string, string, string, string, string, string];
  const byDay = report.byDay.map((d) => ({ day: d.day, contained: d.containment === null ? null : Math.round(d.containment * 100), rating: d.rating.average }));
  return [
    {
      id: 'containment-chart',
      caption: 'Resolved without a person, and customer rating, per day',
      config: {
        type: 'line',
        data: {
          labels: byDay.map((d) => d.day),
          datasets: [
            { label: 'resolved without a person (%)', data: byDay.map((d) => d.contained), borderColor: c3, backgroundColor: c3, yAxisID: 'y', spanGaps: true },
            { label: 'rating (1–5)', data: byDay.map((d) => d.rating), borderColor: c2, backgroundColor: c2, yAxisID: 'rating', spanGaps: true },
          ],
        },
        options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } }, rating: { position: 'right', min: 1, max: 5, grid: { drawOnChartArea: false } } } },
      },
      empty: 'No conversations in this period.',
      table: { columns: ['day', 'resolved without a person', 'rating'], rows: byDay.map((d) => [d.day, d.contained === null ? '–' : `${d.contained}%`, d.rating === null ? '–' : d.rating.toFixed(1)]) },
    },
    {
      id: 'reasons-chart',
      caption: 'Why conversations went to a person',
      config: {
        type: 'doughnut',
        data: { labels: report.handoffReasons.map((r) => r.label), datasets: [{ data: report.handoffReasons.map((r) => r.count), backgroundColor: [c1, c2, c3, c4, c5, c6] }] },
        options: { plugins: { legend: { position: 'bottom' } } },
      },
      empty: 'No conversation went to a person in this period.',
      table: { columns: ['reason', 'handoffs'], rows: report.handoffReasons.map((r) => [r.label, r.count]) },
    },
    {
      id: 'dropoff-chart',
      caption: "Where customers drop off (left waiting on a flow's question)",
      config: {
        type: 'bar',
        data: { labels: report.dropOff.map((d) => `${d.flow} · ${d.step}`), datasets: [{ label: 'conversations that dropped off here', data: report.dropOff.map((d) => d.dropped), backgroundColor: c4 }] },
        options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
      },
      empty: "No customer was left waiting on a flow's question in this period.",
      table: { columns: ['flow · step', 'dropped off'], rows: report.dropOff.map((d) => [`${d.flow} · ${d.step}`, d.dropped]) },
    },
  ];
}
