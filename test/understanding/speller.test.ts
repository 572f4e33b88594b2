import { describe, expect, it } from 'vitest';
import { Speller } from '../../src/search/matcher/fuzzy.ts';

/** Typo correction against the documents' words: how many documents use each word. */
const speller = new Speller(new Map([['charge', 3], ['battery', 2], ['nights', 5], ['lights', 1], ['bights', 1], ['fights', 1], ['wireless', 4], ['headphones', 2]]));

describe('the speller', () => {
  it.each([
    ['chargr', 'charge'], // the last letter mistyped
    ['xharge', 'charge'], // the first letter mistyped
    ['batery', 'battery'],
    ['headfones', 'headphones'], // two edits from nine letters on
    ['wirelesss', 'wireless'],
    ['xhargx', null], // both ends mistyped: not compared
    ['charge', null], // a known word is never changed
    ['chrg', null], // short words must be exact
    ['chargeable', null], // too far
  ])('corrects %s to %s', (typed, expected) => {
    expect(speller.correct(typed)).toBe(expected);
  });

  it('keeps the first letter when asked to', () => {
    expect(speller.correct('xharge', true)).toBeNull();
    expect(speller.correct('chargr', true)).toBe('charge');
  });

  it('of words as close, takes the one more documents use, then the first in spelling', () => {
    expect(speller.correct('xights')).toBe('nights');
    expect(new Speller(new Map([['lights', 1], ['fights', 1], ['bights', 1]])).correct('xights')).toBe('bights');
  });
});
