/**
 * The one redaction pass for customer text that leaves Parley's own records: every prompt sent to a model (knowledge
 * answers, the handoff summary, the understanding model, question embeddings), every log line, the knowledge base's
 * gap list. Email addresses, IBANs, payment card numbers and phone numbers become placeholders; what says nothing
 * about who wrote (order numbers like BW-12345, tracking and reference numbers, dates, prices) stays.
 *
 * Heuristics, table-tested in test/privacy/redact.test.ts on English and German messages:
 * - an IBAN has the shape (country, check digits, 11–30 letters or digits) and its mod-97 checksum holds;
 * - a card is 13–19 digits, optionally grouped by spaces or dashes, starting with 2–6 and passing the Luhn check;
 * - a phone number is 7–15 digits with the usual separators, international (`+49 …`, `0049 …`) or local
 *   (`0151 …`, `(020) 7946-0958`, `555-123-4567`). A run of digits without any separator counts only when it starts
 *   with 0 or has 10 digits (a phone typed without spaces): `12345678` or `302-1234567-1234567` are references;
 * - dates (`12.03.2025`, `2025-03-12`, `03/12/2025`) and IPv4 addresses are never phone numbers.
 */

export const PLACEHOLDERS = ['[email]', '[iban]', '[card]', '[phone]'] as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
const CARD = /(?<![\d+-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** Dates and IPv4 addresses: never phone numbers. */
const DATE = /(?<!\d)(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2}))(?![\d./-]?\d)|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]?\d)/g;
/** A run of digits with separators, with an optional leading + or 00 and an area code in parentheses. */
const DIGIT_RUN = /(?<![\p{L}\p{N}_])(?:\+\s?)?(?:\(\d{1,6}\)\s?)?\d(?:[ \t().\/-]{0,2}\d)*/gu;
/** Stand-ins for protected spans while the phone pass runs: private-use characters, never letters or digits. */
const SHIELD = '\uE000';

/** Replaces email addresses, IBANs, card numbers and phone numbers in `text` by `[email]`, `[iban]`, `[card]`, `[phone]`. */
export function redact(text: string): string {
  if (!/[\d@]/.test(text)) return text;
  const shielded: string[] = [];
  const shield = (value: string) => `${SHIELD}${String.fromCharCode(0xe100 + shielded.push(value) - 1)}`;
  const out = text
    .replace(EMAIL, '[email]')
    .replace(IBAN, (match) => (isIban(match) ? '[iban]' : match))
    .replace(CARD, (match) => (isCard(match) ? '[card]' : match))
    .replace(DATE, (match) => (shielded.length < 0x1000 ? shield(match) : match))
    .replace(DIGIT_RUN, (match) => (isPhone(match) ? '[phone]' : match));
  return shielded.length === 0 ? out : out.replace(/\uE000([\uE100-\uF0FF])/g, (_, mark: string) => shielded[mark.charCodeAt(0) - 0xe100] ?? '');
}

/** Redacts every string inside a JSON-like value (objects and arrays copied, other values kept). */
export function redactDeep<T>(value: T, depth = 6): T {
  if (typeof value === 'string') return redact(value) as T;
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth - 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, depth - 1)])) as T;
}

/** ISO 13616: the check digits make the number mod 97 equal 1 (so tracking codes of the same shape stay). */
function isIban(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '');
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

function isCard(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  return /^[2-6]/.test(digits) && luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function isPhone(run: string): boolean {
  const trimmed = run.replace(/[\s).\/-]+$/, '');
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 7) return false;
  const international = /^\+|^00/.test(trimmed);
  const separated = /[\s().\/-]/.test(trimmed.replace(/^\+\s?/, ''));
  if (digits.length > 15) {
    // Longer than any phone number: several numbers in a row (mask them all), or a reference without spaces (keep).
    return /\s/.test(trimmed);
  }
  if (international || separated) return !thousands(trimmed);
  return digits.startsWith('0') || digits.length === 10;
}

/** `1.299.000` or `1 000 000`: an amount, not a phone number. */
function thousands(run: string): boolean {
  return /^[1-9]\d{0,2}(?:([.,' ])\d{3})(?:\1\d{3})*$/.test(run);
}
