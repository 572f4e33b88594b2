/** `parley report [--since 7d] [--json]`: the voice-of-the-customer report (docs/report.md) in the terminal. */
import { parseDuration, parseSince, type Report } from '../analytics/index.ts';
import { analyticsRepository } from '../analytics/repository.ts';
import type { Figures } from '../analytics/report.ts';
import { loadConfig } from '../config.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { withStore } from './with-store.ts';

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { since: { type: 'string' }, quiet: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false });
  if (values.help) {
    process.stdout.write('Usage: parley report [--since 7d|24h|90m|4w|2026-01-31] [--quiet 30m] [--json]\n');
    return 0;
  }
  const since = parseSince(values.since ?? '7d');
  const quietMs = values.quiet === undefined ? undefined : parseDuration(values.quiet);
  const config = loadConfig();
  return withStore(config, async (store) => {
    const report = await store.repository(analyticsRepository).report({ since, ...(quietMs !== undefined ? { quietMs } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : readable(report));
    return 0;
  });
}

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);
const stars = (rating: Figures['rating']) => (rating.average === null ? '–' : `${rating.average.toFixed(1)} (${rating.count})`);
function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const FIGURE_HEADER = ['conversations', 'no person', 'handoffs', 'first reply', 'to a person', 'rating', 'drop-offs'];
const figureCells = (f: Figures) => [String(f.conversations), percent(f.containment), String(f.handoffs), duration(f.firstResponseMs.median),
  duration(f.timeToPersonMs.median), stars(f.rating), String(f.dropOffs)];

function readable(report: Report): string {
  const t = report.totals;
  const sections = [
    `Report from ${report.since.slice(0, 16).replace('T', ' ')} to ${report.until.slice(0, 16).replace('T', ' ')} UTC`,
    table(['', ...FIGURE_HEADER], [['all', ...figureCells(t)]]),
    `By day\n${table(['day', ...FIGURE_HEADER], report.byDay.map((d) => [d.day, ...figureCells(d)]))}`,
    `By channel\n${report.byChannel.length ? table(['channel', ...FIGURE_HEADER], report.byChannel.map((c) => [c.channel, ...figureCells(c)])) : '(none)'}`,
    `By flow\n${report.byFlow.length ? table(['flow', ...FIGURE_HEADER], report.byFlow.map((f) => [f.flow, ...figureCells(f)])) : '(none)'}`,
    `Handoffs by reason\n${report.handoffReasons.length ? table(['reason', 'handoffs'], report.handoffReasons.map((r) => [r.label, String(r.count)])) : '(none)'}`,
    `Drop-off (left waiting on a question, quiet for ${report.quietMinutes} min)\n${report.dropOff.length
      ? table(['flow · step', 'reached', 'dropped', 'rate'], report.dropOff.map((d) => [`${d.flow} · ${d.step}`, String(d.reached), String(d.dropped), percent(d.rate)]))
      : '(none)'}`,
    `Questions the bot could not answer\n${report.gaps.length
      ? table(['asked', 'question'], report.gaps.map((g) => [`${g.count}×`, g.question]))
      : '(none)'}`,
  ];
  return `${sections.join('\n\n')}\n`;
}
