import { describe, expect, it } from 'vitest';
import { describeWeek } from '../../src/hours/describe-week.ts';
import { OpeningHours, readOpeningHours } from '../../src/hours/opening-hours.ts';
import { whenBack } from '../../src/hours/when-back.ts';

/** Opening hours as a shop in Berlin keeps them: across daylight saving, holidays, a lunch break, another queue. */
const SHOP = readOpeningHours(JSON.stringify({
  timeZone: 'Europe/Berlin',
  week: { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: '09:00-18:00', sat: '10:00-17:00' },
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26'],
  queues: { billing: { week: { mon: '09:00-12:00,13:00-17:00' } }, night: { timeZone: 'America/New_York', week: { sun: '20:00-24:00' } } },
}))!;
const hours = new OpeningHours(SHOP);

describe('opening hours', () => {
  it.each([
    // [queue, instant, open, next opening, in words for English]
    ['support', '2026-12-05T19:50:00Z', false, '2026-12-07T08:00:00.000Z', 'Monday at 09:00'], // Saturday 20:50 in Berlin
    ['support', '2026-12-05T12:00:00Z', true, '2026-12-05T12:00:00.000Z', 'today at 13:00'],
    ['support', '2026-12-07T07:59:00Z', false, '2026-12-07T08:00:00.000Z', 'today at 09:00'],
    ['support', '2026-12-07T16:59:00Z', true, '2026-12-07T16:59:00.000Z', 'today at 17:59'],
    ['support', '2026-12-07T17:00:00Z', false, '2026-12-08T08:00:00.000Z', 'tomorrow at 09:00'], // 18:00 closes
    ['support', '2026-12-23T18:00:00Z', false, '2026-12-28T08:00:00.000Z', 'Monday at 09:00'], // Christmas holidays, then Sunday
    ['support', '2026-03-28T20:00:00Z', false, '2026-03-30T07:00:00.000Z', 'Monday at 09:00'], // summer time begins
    ['support', '2026-10-24T20:00:00Z', false, '2026-10-26T08:00:00.000Z', 'Monday at 09:00'], // and ends
    ['billing', '2026-12-07T11:30:00Z', false, '2026-12-07T12:00:00.000Z', 'today at 13:00'], // the lunch break
    ['billing', '2026-12-08T09:00:00Z', false, '2026-12-14T08:00:00.000Z', 'Monday at 09:00'], // only Mondays
    ['night', '2026-12-07T02:00:00Z', true, '2026-12-07T02:00:00.000Z', 'today at 21:00'], // Sunday 21:00 in New York
    ['night', '2026-12-06T02:00:00Z', false, '2026-12-07T01:00:00.000Z', 'tomorrow at 20:00'], // Saturday 21:00 there
  ])('%s at %s: open %s, next %s', (queue, at, open, next, words) => {
    const instant = new Date(at);
    expect(hours.isOpen(queue, instant)).toBe(open);
    expect(hours.nextOpening(queue, instant)?.toISOString()).toBe(next);
    expect(whenBack(new Date(next), instant, 'en', hours.timeZoneOf(queue)!)).toBe(words);
  });

  it('is always open without a setting, and says the week in words', () => {
    expect(new OpeningHours().isOpen('support', new Date('2026-12-25T03:00:00Z'))).toBe(true);
    expect(describeWeek(SHOP, 'en')).toBe('Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays');
    expect(describeWeek(SHOP, 'de-AT')).toBe('Montag bis Freitag 09:00–18:00 Uhr, Samstag 10:00–17:00 Uhr; geschlossen: Sonntag und Feiertage');
    expect(describeWeek(SHOP, 'en', 'billing')).toBe('Monday 09:00–12:00, 13:00–17:00; closed on Tuesday to Sunday and on holidays');
  });

  it.each([
    ['{"week":{}}', /timeZone/],
    ['{"timeZone":"Europe/Berlin","week":{"mon":"9-18"}}', /week\.mon: like "09:00-18:00"/],
    ['{"timeZone":"Europe/Berlin","week":{},"holidays":["25.12.2026"]}', /holidays\.0: a date like 2026-12-25/],
    ['{"timeZone":"Europe/Berlin","week":{"mon":"12:00-11:00"}}', /does not end after it starts/],
    ['not json', /not valid JSON/],
  ])('refuses %s', (raw, message) => {
    expect(() => readOpeningHours(raw)).toThrow(message);
  });
});
