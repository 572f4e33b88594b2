import { ParleyError } from '../core/errors.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** The longest window a report covers: a year. */
const MAX_MS = 366 * 86_400_000;

/**
 * The start of a report's window: a duration back from `now` (`90m`, `24h`, `7d`, `4w`) or a date (`2026-01-31`).
 * Anything else, or a window over a year, is a BAD_REQUEST naming the value.
 */
export function parseSince(value: string, now = new Date()): Date {
  const trimmed = value.trim();
  const duration = /^(\d{1,4})([mhdw])$/.exec(trimmed);
  let since: Date | undefined;
  if (duration) since = new Date(now.getTime() - Number(duration[1]) * UNITS[duration[2]!]!);
  else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(trimmed)) since = new Date(trimmed);
  if (!since || Number.isNaN(since.getTime()) || since.getTime() > now.getTime()) {
    throw new ParleyError('BAD_REQUEST', `since must be a duration such as 7d, 24h, 90m, 4w or a date such as 2026-01-31, not '${value}'`);
  }
  if (now.getTime() - since.getTime() > MAX_MS) throw new ParleyError('BAD_REQUEST', `since reaches back more than a year: '${value}'`);
  return since;
}

/** A duration such as `30m`, `2h`, `1d` (or `0m`), in milliseconds; anything else is a BAD_REQUEST naming the value. */
export function parseDuration(value: string, what = 'quiet'): number {
  const match = /^(\d{1,4})([mhdw])$/.exec(value.trim());
  if (!match) throw new ParleyError('BAD_REQUEST', `${what} must be a duration such as 30m, 2h or 1d, not '${value}'`);
  return Number(match[1]) * UNITS[match[2]!]!;
}
