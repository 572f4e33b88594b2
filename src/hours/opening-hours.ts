/**
 * Opening hours: when people are there to take handoffs, per queue, in one time zone, with holidays. Read by the
 * handoff notices, the web chat's status line and the monitor's repeated notices; set once, in OPENING_HOURS.
 *
 *   {"timeZone": "Europe/Berlin",
 *    "week": {"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00",
 *             "fri": "09:00-18:00", "sat": "10:00-17:00"},
 *    "holidays": ["2026-12-25", "2026-12-26"],
 *    "queues": {"billing": {"week": {"mon": "09:00-12:00,13:00-17:00"}}}}
 *
 * A day left out, or null, is closed. A queue's entry replaces the week, the holidays or the time zone it names.
 * Unset, people are always there (as before).
 */
import { z } from 'zod';

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];

const Ranges = z.string().regex(/^\s*\d{2}:\d{2}\s*-\s*\d{2}:\d{2}\s*(,\s*\d{2}:\d{2}\s*-\s*\d{2}:\d{2}\s*)*$/, 'like "09:00-18:00" or "09:00-12:00,13:00-17:00"');
const Week = z.strictObject(Object.fromEntries(DAYS.map((day) => [day, Ranges.nullable().optional()])) as Record<Day, z.ZodOptional<z.ZodNullable<typeof Ranges>>>);
const Holiday = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-25');
const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone like Europe/Berlin');
const Schedule = z.strictObject({ timeZone: TimeZone.optional(), week: Week.optional(), holidays: z.array(Holiday).optional() });
export const OpeningHoursSchema = Schedule.extend({
  timeZone: TimeZone,
  week: Week,
  queues: z.record(z.string().min(1).max(64), Schedule).optional(),
}).strict();
export type OpeningHoursSetting = z.infer<typeof OpeningHoursSchema>;

interface QueueHours {
  timeZone: string;
  /** Per day (0 = Sunday), minutes since midnight: [start, end) ranges. */
  week: Array<Array<[number, number]>>;
  holidays: Set<string>;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function parseRanges(text: string | null | undefined): Array<[number, number]> {
  if (!text) return [];
  return text.split(',').map((range) => {
    const [start, end] = range.split('-').map((part) => minutes(part.trim()));
    if (!(start! < end!) || end! > 24 * 60) throw new Error(`"${range.trim()}" does not end after it starts, within the day`);
    return [start!, end!];
  });
}

/** The wall-clock parts of an instant in a time zone. */
function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; weekday: number; minute: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short',
  }).formatToParts(at).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant at which the wall clock in `timeZone` shows this date and minute of the day. */
function zonedInstant(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  const offsetAt = (instant: number) => {
    const p = localParts(new Date(instant), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, 0, p.minute) - Math.floor(instant / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

const isoDate = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** When people are there, per queue. */
export class OpeningHours {
  private readonly base: QueueHours | undefined;
  private readonly perQueue = new Map<string, QueueHours>();

  /** Without a setting: always open. */
  constructor(setting?: OpeningHoursSetting) {
    if (!setting) return;
    const compile = (schedule: z.infer<typeof Schedule>, fallback?: QueueHours): QueueHours => ({
      timeZone: schedule.timeZone ?? fallback!.timeZone,
      week: schedule.week ? DAYS.map((day) => parseRanges(schedule.week![day])) : fallback!.week,
      holidays: schedule.holidays ? new Set(schedule.holidays) : fallback?.holidays ?? new Set(),
    });
    this.base = compile(setting);
    for (const [queue, schedule] of Object.entries(setting.queues ?? {})) this.perQueue.set(queue, compile(schedule, this.base));
  }

  /** Whether the hours are set at all (unset: always open). */
  get configured(): boolean {
    return this.base !== undefined;
  }

  timeZoneOf(queue: string): string | undefined {
    return (this.perQueue.get(queue) ?? this.base)?.timeZone;
  }

  isOpen(queue: string, at: Date): boolean {
    const hours = this.perQueue.get(queue) ?? this.base;
    if (!hours) return true;
    const local = localParts(at, hours.timeZone);
    if (hours.holidays.has(isoDate(local.year, local.month, local.day))) return false;
    return hours.week[local.weekday]!.some(([start, end]) => local.minute >= start && local.minute < end);
  }

  /** When the queue opens next (now when it is open); null when it does not open in the next three weeks. */
  nextOpening(queue: string, at: Date): Date | null {
    const hours = this.perQueue.get(queue) ?? this.base;
    if (!hours || this.isOpen(queue, at)) return at;
    const today = localParts(at, hours.timeZone);
    for (let offset = 0; offset < 21; offset++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
      const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (hours.holidays.has(isoDate(year, month, day))) continue;
      for (const [start] of hours.week[date.getUTCDay()]!) {
        const opening = zonedInstant(year, month, day, start, hours.timeZone);
        if (opening > at) return opening;
      }
    }
    return null;
  }
}

/** OPENING_HOURS, checked; undefined when unset. Throws with the path and problem of a bad value. */
export function readOpeningHours(raw: string | undefined): OpeningHoursSetting | undefined {
  if (!raw?.trim()) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('not valid JSON');
  }
  const parsed = OpeningHoursSchema.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
  new OpeningHours(parsed.data); // ranges that end before they start are refused here
  return parsed.data;
}
