/** How the report page writes its figures: shares, ratings and durations, '–' where there is nothing to show. */
import type { Report } from './api.ts';

type Figures = Report['totals'];

export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`);

export const rating = (r: Figures['rating']): string => (r.average === null ? '–' : `${r.average.toFixed(1)} ★ (${r.count})`);

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The period an answer covers, in UTC minutes: "2026-12-01 08:00 to 2026-12-08 08:00 UTC". */
export const period = (report: Pick<Report, 'since' | 'until'>): string =>
  `From ${report.since.slice(0, 16).replace('T', ' ')} to ${report.until.slice(0, 16).replace('T', ' ')} UTC.`;

export const tiles = (totals: Figures): Array<[label: string, value: string]> => [
  ['conversations', String(totals.conversations)],
  ['resolved without a person', percent(totals.containment)],
  ['handoffs', String(totals.handoffs)],
  ['first response (median)', duration(totals.firstResponseMs.median)],
  ['time to a person (median)', duration(totals.timeToPersonMs.median)],
  ['customer rating', rating(totals.rating)],
  ['drop-offs', String(totals.dropOffs)],
];
