import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/workspace/ui/api.ts';
import { channelName, customerName, initials, languageName, since, variableLabel, variableValue } from '../../src/workspace/ui/format.ts';
import { visibleIn } from '../../src/workspace/ui/tabs.ts';

/** What the workspace writes on screen for values the server sends as ids, codes and raw values. */
describe('the workspace in words', () => {
  it.each([
    ['order_number', 'Order number'],
    ['deliveryDate', 'Delivery date'],
    ['_internal', 'Internal'],
    ['email', 'Email'],
  ])('a variable %s is labelled "%s"', (name, label) => {
    expect(variableLabel(name)).toBe(label);
  });

  it('values read as words: yes/no, nothing for null, numbers as they are', () => {
    expect([variableValue(true), variableValue(false), variableValue(null), variableValue(undefined), variableValue(42), variableValue('A-1')]).toEqual(['Yes', 'No', '', '', '42', 'A-1']);
  });

  it('names languages and channels, and a customer without a name by their channel', () => {
    expect([languageName('de-AT'), languageName('en'), languageName(null)]).toEqual(['German', 'English', '']);
    expect([channelName('whatsapp-web'), channelName('web'), channelName('telegram')]).toEqual(['WhatsApp', 'Web chat', 'Telegram']);
    expect([customerName(null, 'web'), customerName('  ', 'whatsapp', '6ba24da7-0552-4a35'), customerName('Mia', 'web', '6ba24da7')]).toEqual(['Web chat visitor', 'WhatsApp visitor 6BA2', 'Mia']);
    expect([initials('Ana Lima'), initials('Ben'), initials(null)]).toEqual(['AL', 'B', '?']);
  });

  it.each([
    [45, '45 s'],
    [12 * 60 + 5, '12 min'],
    [3 * 3600 + 5 * 60, '3 h 5 min'],
    [2 * 86400 + 60, '2 d'],
  ])('%i seconds waited read "%s"', (seconds, words) => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(since(new Date(now - seconds * 1000).toISOString(), now)).toBe(words);
  });
});

describe('which tab a conversation is in', () => {
  const base: Conversation = {
    id: 'h1', customerName: 'Mia', channel: 'web', language: 'de-AT', queue: 'support', status: 'waiting', assignee: null,
    waitingSince: '2026-12-06T11:00:00Z', lastMessageAt: null, unread: 1, preview: 'Wo ist mein Paket?', reason: 'asked for a person',
  };
  const mine: Conversation = { ...base, id: 'h2', status: 'claimed', assignee: { id: 'ana', name: 'Ana' } };
  const theirs: Conversation = { ...base, id: 'h3', status: 'claimed', assignee: { id: 'ben', name: 'Ben' } };
  const done: Conversation = { ...base, id: 'h4', status: 'resolved', assignee: { id: 'ana', name: 'Ana' } };
  const tabOf = (c: Conversation) => (['waiting', 'mine', 'open', 'resolved'] as const).filter((tab) => visibleIn(tab, c, 'ana'));

  it('waiting, mine, all open and resolved', () => {
    expect([base, mine, theirs, done].map(tabOf)).toEqual([['waiting', 'open'], ['mine', 'open'], ['open'], ['resolved']]);
  });

  it('filters by queue, channel, language (its prefix) and words of the name, reason or last message', () => {
    const filters = { queue: '', channel: '', language: '', q: '' };
    expect(visibleIn('open', base, 'ana', { ...filters, language: 'de' })).toBe(true);
    expect(visibleIn('open', base, 'ana', { ...filters, language: 'en' })).toBe(false);
    expect(visibleIn('open', base, 'ana', { ...filters, queue: 'billing' })).toBe(false);
    expect(visibleIn('open', base, 'ana', { ...filters, channel: 'whatsapp' })).toBe(false);
    expect(visibleIn('open', base, 'ana', { ...filters, q: 'paket mia' })).toBe(true);
    expect(visibleIn('open', base, 'ana', { ...filters, q: 'refund' })).toBe(false);
  });
});
