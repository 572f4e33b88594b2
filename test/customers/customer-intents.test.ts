import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseConsentCommand } from '../../src/customers/consent-keywords.ts';
import { parseLinkCode, parseLinkRequest, parsePreference } from '../../src/customers/customer-intents.ts';
import { customersConfig } from '../../src/customers/customers-config.ts';
import { hashToken } from '../../src/handoff/agents.ts';

describe('consent keywords', () => {
  it.each([
    ['STOP', { kind: 'stop' }],
    ['  Stop! ', { kind: 'stop' }],
    ['unsubscribe', { kind: 'stop' }],
    ['Stop messages', { kind: 'stop' }],
    ['stopp', { kind: 'stop', locale: 'de' }],
    ['Abmelden', { kind: 'stop', locale: 'de' }],
    ['keine Nachrichten mehr', { kind: 'stop', locale: 'de' }],
    ['START', { kind: 'start', restoreOnly: true }],
    ['subscribe', { kind: 'start' }],
    ['anmelden', { kind: 'start', locale: 'de' }],
    ['stop the order please', undefined],
    ['where is my order', undefined],
    ['bus stop', undefined],
  ])('%s → %j', (text, expected) => {
    expect(parseConsentCommand({ text })).toEqual(expected);
  });

  it('takes the consent buttons, and no other payload', () => {
    expect(parseConsentCommand({ payload: '#consent:stop' })).toEqual({ kind: 'stop' });
    expect(parseConsentCommand({ payload: 'stop' })).toBeUndefined();
  });
});

describe('asking for another channel', () => {
  it.each([
    ['message me on WhatsApp instead', ['whatsapp', 'whatsapp-web'], 'en'],
    ['Please contact me via whatsapp', ['whatsapp', 'whatsapp-web'], 'en'],
    ["I'd rather use WhatsApp", ['whatsapp', 'whatsapp-web'], 'en'],
    ['text me on teams from now on', ['botframework'], 'en'],
    ['Schreiben Sie mir lieber über WhatsApp', ['whatsapp', 'whatsapp-web'], 'de'],
    ['lieber per WhatsApp', ['whatsapp', 'whatsapp-web'], 'de'],
    ['WhatsApp statt dessen bitte', ['whatsapp', 'whatsapp-web'], 'de'],
    ['bitte per WhatsApp antworten statt hier', ['whatsapp', 'whatsapp-web'], 'de'],
    ['per whatsapp antworten bitte', ['whatsapp', 'whatsapp-web'], 'de'],
    ['please reply on WhatsApp', ['whatsapp', 'whatsapp-web'], 'en'],
    ['answer via whatsapp instead', ['whatsapp', 'whatsapp-web'], 'en'],
  ])('%s → %j', (text, channels, locale) => {
    expect(parsePreference({ text })).toMatchObject({ channels, locale });
  });

  it.each([
    'do you have WhatsApp?', 'How do I contact you on WhatsApp?', 'my WhatsApp is broken', 'link my WhatsApp +49 151 23456789',
    'do you answer on whatsapp?', 'antwortet ihr auch per WhatsApp?',
  ])(
    'is not a preference: %s',
    (text) => {
      expect(parsePreference({ text })).toBeUndefined();
    },
  );

  it('reads the preference button', () => {
    expect(parsePreference({ payload: '#prefer:whatsapp' })).toMatchObject({ channels: ['whatsapp'] });
  });
});

describe('linking', () => {
  it.each([
    ['link my WhatsApp +49 151 23456789', { channels: ['whatsapp', 'whatsapp-web'], number: '+49 151 23456789' }],
    ['connect whatsapp', { channels: ['whatsapp', 'whatsapp-web'] }],
    ['WhatsApp verknüpfen 0049 151 23456789', { channels: ['whatsapp', 'whatsapp-web'], number: '0049 151 23456789', locale: 'de' }],
    ['Verbinde mein WhatsApp', { channels: ['whatsapp', 'whatsapp-web'], locale: 'de' }],
  ])('%s', (text, expected) => {
    expect(parseLinkRequest({ text })).toMatchObject(expected);
  });

  it.each([
    ['482913', '482913'],
    [' 482 913 ', '482913'],
    ['482-913', '482913'],
    ['4829130', undefined],
    ['BW-12345', undefined],
    ['K7PQ2-MXW9R', 'K7PQ2MXW9R'],
    ['k7pq2 mxw9r.', 'K7PQ2MXW9R'],
    ['strengthen', undefined],
    ['K7PQ2-MXW9O', undefined],
  ])('the code %s → %s', (text, expected) => {
    expect(parseLinkCode({ text })).toBe(expected);
  });
});

describe('settings', () => {
  it('reads NOTIFY_API_KEYS as names and hashes, hashing plain keys', () => {
    const hashed = hashToken('a-very-long-and-random-api-key');
    expect(customersConfig({ NOTIFY_API_KEYS: `shop=${hashed}, plainplainplainplainplainplain` }).apiKeys).toEqual([
      { name: 'shop', hash: hashed },
      { name: 'key2', hash: hashToken('plainplainplainplainplainplain') },
    ]);
  });

  it('refuses a short plain key and an unknown country, naming the setting', () => {
    expect(() => loadConfig({ NOTIFY_API_KEYS: 'short' })).toThrow(/NOTIFY_API_KEYS/);
    expect(() => loadConfig({ PHONE_DEFAULT_COUNTRY: 'XX' })).toThrow(/PHONE_DEFAULT_COUNTRY/);
    expect(loadConfig({ PHONE_DEFAULT_COUNTRY: 'de' }).customers.defaultCountry).toBe('DE');
  });
});
