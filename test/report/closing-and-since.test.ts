import { describe, expect, it } from 'vitest';
import { isClosingMessage } from '../../src/analytics/closing.ts';
import { parseDuration, parseSince } from '../../src/analytics/since.ts';

describe('a customer closing the conversation', () => {
  it.each([
    ['Thanks, bye!', true],
    ['ok thank you so much!', true],
    ["that's all, thanks", true],
    ['Danke, tschüss', true],
    ['das war’s', true],
    ['thank you', true],
    ['ok', false],
    ['no', false],
    ['thanks, where is my order?', false],
    ['bye the way, do you ship to Austria', false],
    ['', false],
  ])('%j → %s', (text, closing) => {
    expect(isClosingMessage(text)).toBe(closing);
  });
});

describe('the report window', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it.each([
    ['7d', '2026-03-03T12:00:00.000Z'],
    ['24h', '2026-03-09T12:00:00.000Z'],
    ['90m', '2026-03-10T10:30:00.000Z'],
    ['2w', '2026-02-24T12:00:00.000Z'],
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
  ])('since %s starts at %s', (value, expected) => {
    expect(parseSince(value, now).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '7 days', '-1d', '2026-04-01', '400d', ''])('refuses since %j with a BAD_REQUEST naming it', (value) => {
    expect(() => parseSince(value, now)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('reads a quiet period, and refuses anything else', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('0m')).toBe(0);
    expect(() => parseDuration('half an hour')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
