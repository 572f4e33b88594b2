import { describe, expect, it } from 'vitest';
import { luhn, redact, redactDeep } from '../../src/infra/redact.ts';

/** Messages as customers write them, in English and German: what reaches a model or a log line. */
describe('redact: emails, phone numbers, cards and IBANs masked; orders, dates and prices kept', () => {
  it.each([
    // Email addresses
    ['mail me at jo.doe+shop@example.co.uk please', 'mail me at [email] please'],
    ['Meine Adresse ist jürgen.müller@beispiel.de.', 'Meine Adresse ist [email].'],
    ['ANA@EXAMPLE.COM wrote earlier', '[email] wrote earlier'],
    // Phone numbers, international and local
    ['call +31 6 1234 5678 tomorrow', 'call [phone] tomorrow'],
    ['ruf an: +49 151 2345 6789', 'ruf an: [phone]'],
    ['Handy +49 (0)151 23456789, ab 18 Uhr', 'Handy [phone], ab 18 Uhr'],
    ['Festnetz 0049 30 1234567', 'Festnetz [phone]'],
    ['Ruf mich an: 0151 23456789, danke', 'Ruf mich an: [phone], danke'],
    ['meine Nummer: 030/1234567', 'meine Nummer: [phone]'],
    ['my number is 0612345678', 'my number is [phone]'],
    ['(010) 123-4567 is my landline', '[phone] is my landline'],
    ['tel. (020) 7946-0958 after 5pm', 'tel. [phone] after 5pm'],
    ['text me at 555-123-4567 or 555.987.6543', 'text me at [phone] or [phone]'],
    ['US cell 4155552671', 'US cell [phone]'],
    ['two numbers 0151 2345678 0171 9876543', 'two numbers [phone]'],
    ['+447911123456', '[phone]'],
    // Payment cards: Luhn-valid only
    ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['Kreditkarte 5555555555554444, bitte erstatten', 'Kreditkarte [card], bitte erstatten'],
    ['amex 3782 822463 10005', 'amex [card]'],
    // IBANs
    ['refund to NL91 ABNA 0417 1643 00 please', 'refund to [iban] please'],
    ['Erstattung bitte auf DE89 3704 0044 0532 0130 00', 'Erstattung bitte auf [iban]'],
    ['IBAN DE89370400440532013000', 'IBAN [iban]'],
    // Kept: what says nothing about who wrote
    ['where is order BW-12345 from 12 March', 'where is order BW-12345 from 12 March'],
    ['Wo ist meine Bestellung BW-34567?', 'Wo ist meine Bestellung BW-34567?'],
    ['is the Wave 700 on sale for €249?', 'is the Wave 700 on sale for €249?'],
    ['Ich habe am 12.03.2025 bestellt, Lieferung 14.3.25', 'Ich habe am 12.03.2025 bestellt, Lieferung 14.3.25'],
    ['ordered 2025-03-12, paid 1.299,00 €', 'ordered 2025-03-12, paid 1.299,00 €'],
    ['delivered on 03/12/2025 at 09:30', 'delivered on 03/12/2025 at 09:30'],
    ['tracking 1Z999AA10123456784 and JD014600006281234567', 'tracking 1Z999AA10123456784 and JD014600006281234567'],
    ['DHL Sendung 00340434161094042557', 'DHL Sendung 00340434161094042557'],
    // Not a card (Luhn fails), but grouped digits with spaces may be phone numbers: masked to be safe
    ['number 1234 5678 9012 3456 please', 'number [phone] please'],
    ['Kundennummer 12345678', 'Kundennummer 12345678'],
    ['amazon order 302-1234567-1234567', 'amazon order 302-1234567-1234567'],
    ['population 1 000 000 and 2,500,000', 'population 1 000 000 and 2,500,000'],
    ['am 12.03.2025 0151 2345678 anrufen', 'am 12.03.2025 [phone] anrufen'],
    ['PostgreSQL at 127.0.0.1:5432 is unreachable', 'PostgreSQL at 127.0.0.1:5432 is unreachable'],
    ['listening on http://192.168.100.200:3000/healthz', 'listening on http://192.168.100.200:3000/healthz'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('checks cards with Luhn', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
  });

  it('redacts every string inside nested values', () => {
    expect(redactDeep({ a: 'x 0151 23456789', b: [{ c: 'jo@example.com' }], n: 3 })).toEqual({ a: 'x [phone]', b: [{ c: '[email]' }], n: 3 });
  });
});
