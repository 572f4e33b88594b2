import { DAYS, type OpeningHoursSetting } from './opening-hours.ts';

const NAMES = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  de: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
} as const;

/**
 * The week's hours in words, Monday first, consecutive days with the same hours joined: "Monday to Friday
 * 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays" (or German). What {{opening_hours}} reads.
 */
export function describeWeek(setting: OpeningHoursSetting, locale: string | undefined, queue?: string): string {
  const german = (locale ?? 'en').toLowerCase().startsWith('de');
  const names = german ? NAMES.de : NAMES.en;
  const week = (queue && setting.queues?.[queue]?.week) || setting.week;
  const hoursOf = (day: number) => (week[DAYS[day]!] ?? '').replace(/\s+/g, '').replace(/-/g, '–').replace(/,/g, ', ');
  const order = [1, 2, 3, 4, 5, 6, 0];
  const groups: Array<{ from: number; to: number; hours: string }> = [];
  for (const day of order) {
    const hours = hoursOf(day);
    const last = groups.at(-1);
    if (last && last.hours === hours && order.indexOf(day) === order.indexOf(last.to) + 1) last.to = day;
    else groups.push({ from: day, to: day, hours });
  }
  const span = (g: { from: number; to: number }) => (g.from === g.to ? names[g.from]! : `${names[g.from]} ${german ? 'bis' : 'to'} ${names[g.to]}`);
  const open = groups.filter((g) => g.hours).map((g) => `${span(g)} ${g.hours}${german ? ' Uhr' : ''}`);
  const closed = groups.filter((g) => !g.hours).map(span);
  const closedText = german
    ? `geschlossen: ${closed.length ? `${closed.join(', ')} und ` : ''}Feiertage`
    : `closed on ${closed.length ? `${closed.join(', ')} and on ` : ''}holidays`;
  return `${open.join(', ')}; ${closedText}`;
}
