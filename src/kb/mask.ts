/**
 * Masks private data in a question before it is kept for editors: card numbers, IBANs, email addresses and
 * phone numbers become placeholders. Order numbers (BW-12345) stay: they say nothing about who asked.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
/** 13–19 digits, optionally grouped by spaces or dashes: payment cards. */
const CARD = /(?<![\d+-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** 7+ digits with an optional leading + and the usual separators: phone numbers. */
const PHONE = /(?<![\p{L}\d])(?:\+|00)?\(?\d(?:[\s().-]{0,2}\d){6,14}(?!\d)/gu;

export function maskPrivate(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(IBAN, '[iban]')
    .replace(CARD, '[card]')
    .replace(PHONE, '[phone]');
}
