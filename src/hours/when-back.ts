/** "today at 14:00", "tomorrow at 09:00", "Monday at 09:00" (or German), in the queue's time zone. */
export function whenBack(opening: Date, now: Date, locale: string | undefined, timeZone: string): string {
  const german = (locale ?? 'en').toLowerCase().startsWith('de');
  const tag = german ? 'de-DE' : 'en-GB';
  const day = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const time = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(opening);
  const daysAhead = Math.round((Date.parse(day(opening)) - Date.parse(day(now))) / 86_400_000);
  const weekday = new Intl.DateTimeFormat(tag, { timeZone, weekday: 'long' }).format(opening);
  const dayWords = daysAhead === 0 ? (german ? 'heute' : 'today') : daysAhead === 1 ? (german ? 'morgen' : 'tomorrow') : daysAhead < 7 ? weekday
    : new Intl.DateTimeFormat(tag, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(opening);
  // German says "am Montag" but "heute", "morgen".
  return german ? `${daysAhead > 1 ? 'am ' : ''}${dayWords} um ${time} Uhr` : `${daysAhead >= 7 ? 'on ' : ''}${dayWords} at ${time}`;
}
