import { describe, expect, it } from 'vitest';
import { detectDataRequest } from '../../src/privacy/data-request-intent.ts';

describe('detectDataRequest: customers asking for their data, in English and German', () => {
  it.each([
    ['delete my data', 'erase', 'en'],
    ['Please erase all my personal data!', 'erase', 'en'],
    ['I want you to delete my account', 'erase', 'en'],
    ['forget me', 'erase', 'en'],
    ['GDPR: remove my data please', 'erase', 'en'],
    ['lösche meine Daten', 'erase', 'de'],
    ['Bitte löschen Sie alle meine Daten', 'erase', 'de'],
    ['Ich möchte mein Kundenkonto löschen', 'erase', 'de'],
    ['vergiss mich', 'erase', 'de'],
    ['export my data', 'export', 'en'],
    ['can I get a copy of my data?', 'export', 'en'],
    ['what data do you have about me', 'export', 'en'],
    ['meine Daten exportieren', 'export', 'de'],
    ['Welche Daten habt ihr über mich gespeichert?', 'export', 'de'],
    ['Ich hätte gern eine Kopie meiner Daten', 'export', 'de'],
  ])('%s → %s', (text, kind, language) => {
    expect(detectDataRequest(text)).toEqual({ kind, language });
  });

  it.each([
    "don't delete my data",
    'bitte meine Daten nicht löschen',
    'can you send me my order details',
    'I have a problem with my account',
    "I can't access my data on the app",
    'remove the item from my order',
    'delete',
    'where is my order BW-12345',
    'My headphones lost all their data when I reset them, I want to delete the pairing and copy my settings to the new ones, how does that work with the app and the firmware update you published last week?',
  ])('not a request: %s', (text) => {
    expect(detectDataRequest(text)).toBeUndefined();
  });
});
