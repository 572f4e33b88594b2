import { describe, expect, it } from 'vitest';
import { OpeningHours } from '../../src/hours/opening-hours.ts';
import { personVars } from '../../src/hours/person-available.ts';
import { withTurnVars } from '../../src/hours/turn-vars.ts';

const WEEKDAYS = new OpeningHours({ timeZone: 'Europe/Berlin', week: { mon: '09:00-18:00', tue: '09:00-18:00' } });
const MONDAY_NOON = new Date('2026-12-07T11:00:00Z');
const SUNDAY = new Date('2026-12-06T11:00:00Z');

describe('whether a person can take the conversation', () => {
  it.each([
    ['a desk, no opening hours', true, undefined, SUNDAY, { person_available: true, person_later: false }],
    ['a desk, open now', true, WEEKDAYS, MONDAY_NOON, { person_available: true, person_later: false }],
    ['a desk, closed now', true, WEEKDAYS, SUNDAY, { person_available: false, person_later: true }],
    ['no desk (editors only)', false, undefined, MONDAY_NOON, { person_available: false, person_later: false }],
    ['no desk, within the hours', false, WEEKDAYS, MONDAY_NOON, { person_available: false, person_later: false }],
  ])('%s', (_name, desk, hours, now, expected) => {
    expect(personVars({ desk, ...(hours ? { hours } : {}), queue: 'support', now: () => now })).toEqual(expected);
  });

  it('is given to the turn and never kept in the conversation, unless the flow set it to something else', () => {
    const seen: unknown[] = [];
    const run = withTurnVars(() => ({ person_available: true }), (state) => {
      seen.push(state.vars.person_available);
      return { state: { ...state, vars: { ...state.vars, order: 'BW-1' } } };
    });
    expect(run({ vars: {} }).state.vars).toEqual({ order: 'BW-1' });
    expect(seen).toEqual([true]);
    const overriding = withTurnVars(() => ({ person_available: true }), (state) => ({ state: { ...state, vars: { ...state.vars, person_available: 'asked' } } }));
    expect(overriding({ vars: {} }).state.vars).toEqual({ person_available: 'asked' });
  });
});
