/**
 * What {{opening_hours}} reads while OPENING_HOURS is unset: the demo shop's week, so that the demo's flows and articles,
 * which carry no copy of the hours, still show them. Only the text: unset, handoffs are taken at any time, as before.
 * Set OPENING_HOURS and both follow it.
 */
import type { OpeningHoursSetting } from './opening-hours.ts';

const WEEKDAY = '09:00-18:00';

export const HOURS_WHEN_UNSET: OpeningHoursSetting = {
  timeZone: 'Europe/Amsterdam',
  week: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: '10:00-17:00' },
};

/** The hours {{opening_hours}} describes: the setting, else the demo's week. */
export function describedHours(setting: OpeningHoursSetting | undefined): OpeningHoursSetting {
  return setting ?? HOURS_WHEN_UNSET;
}
