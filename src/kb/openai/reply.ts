/**
 * Reads the model's reply and keeps it only when it is grounded: it cites passages that were given, and what it
 * states can be found in them. Anything else (the sentinel, no citation, a number, link or email address the
 * passages do not contain, words mostly foreign to them — unless it translates a passage written in another
 * language) is the "not sure" path.
 */
import { analyzerFor, language } from '../../search/text.ts';
import { NOT_SURE, type PromptPassage } from './prompt.ts';

export type ReadReply =
  | { ok: true; answer: string; used: number[] }
  | { ok: false; reason: 'not-sure' | 'no-sources' | 'unsupported' | 'empty' };

/** Share of the answer's content words that must occur in the cited passages or the question. */
export const MIN_SUPPORT = 0.6;

const URL_OR_EMAIL = /\b(?:https?:\/\/|www\.)[^\s)]+|[\w.+-]+@[\w-]+\.[\w.-]+/gi;
const NUMBER = /\d+(?:[.,:]\d+)*/g;

export function readReply(reply: string, question: string, passages: readonly PromptPassage[], locale = 'en'): ReadReply {
  const text = reply.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.includes(NOT_SURE)) return { ok: false, reason: 'not-sure' };

  // "Sources: 1, 3" on its own last line, or closing the last line.
  const lines = text.replace(/[ \t]+(sources?\s*:\s*\d[\d,\s]*(?:and\s*\d+)?)\s*$/i, '\n$1').split('\n');
  let sourcesAt = -1;
  lines.forEach((line, i) => {
    if (/^\s*sources?\s*:/i.test(line)) sourcesAt = i;
  });
  const cited = sourcesAt >= 0 ? [...(lines[sourcesAt]!.replace(/^\s*sources?\s*:/i, '').match(/\d+/g) ?? [])].map(Number) : [];
  const used = [...new Set(cited)].filter((n) => n >= 1 && n <= passages.length).sort((a, b) => a - b);
  if (used.length === 0) return { ok: false, reason: 'no-sources' };

  const answer = lines
    .filter((_, i) => i !== sourcesAt)
    .join('\n')
    .replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .trim();
  if (answer === '') return { ok: false, reason: 'empty' };

  const support = used.map((n) => `${passages[n - 1]!.title}\n${passages[n - 1]!.heading ?? ''}\n${passages[n - 1]!.text}`).join('\n');
  // An answer written in the customer's language from a passage in another one shares its numbers and links, not its words.
  const translated = used.some((n) => passages[n - 1]!.locale !== undefined && language(passages[n - 1]!.locale!) !== language(locale));
  if (!supported(answer, support, question, locale, !translated)) return { ok: false, reason: 'unsupported' };
  return { ok: true, answer, used };
}

/**
 * Numbers, links and email addresses must come from the cited passages (never from the question: a customer
 * cannot make the bot confirm a price by stating it); other words may also echo the question.
 */
function supported(answer: string, source: string, question: string, locale: string, checkWords: boolean): boolean {
  const lowerSource = source.toLowerCase();
  for (const literal of answer.match(URL_OR_EMAIL) ?? []) {
    if (!lowerSource.includes(literal.replace(/[.,;:!?]+$/, '').toLowerCase())) return false;
  }
  const sourceNumbers = new Set(source.match(NUMBER) ?? []);
  for (const n of answer.match(NUMBER) ?? []) if (!sourceNumbers.has(n)) return false;
  if (!checkWords) return true;
  const analyzer = analyzerFor(locale);
  const known = new Set([...analyzer.terms(source), ...analyzer.terms(question)]);
  const words = analyzer.terms(answer.replace(URL_OR_EMAIL, ' ')).filter((t) => !/^\d/.test(t));
  if (words.length === 0) return true;
  return words.filter((t) => known.has(t)).length / words.length >= MIN_SUPPORT;
}
