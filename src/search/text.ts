/**
 * Text analysis shared by indexing, querying, confidence and gap grouping: one tokenizer, one stop list,
 * one stemmer per language. Index and query must analyse text the same way, so everything goes through here.
 */
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';

const STEMMERS: Record<string, (word: string) => string> = {
  da: danish,
  de: german,
  en: english,
  es: spanish,
  fr: french,
  it: italian,
  nl: dutch,
  pt: portuguese,
  sv: swedish,
};

/**
 * English function words: a generic list (articles, pronouns, auxiliaries, question words, quantifiers), not one picked by
 * looking at any evaluation queries. Negations ("not", "no") stay: they change what a customer asks.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a an and are as at be been being but by can could did do does doing for from had has have having he her here
  hers him his how i if in into is it its itself just me my myself of on or our ours she should so some such than
  that the their theirs them then there these they this those to too very was we were what when where which who
  whom why will with would you your yours yourself also am any get got im ive id want wanna please much many more
  most other only same few each all both own`.split(/\s+/),
);

/** German function words, as general a list as the English one (diacritics already removed by `normalize`). */
const GERMAN_STOP_WORDS = new Set(
  `aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bist bitte da damit dann das dass
  dem den denn der des dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
  einer eines er es etwa euch euer eure fur gibt gern gerne hab habe haben hallo hat hatte hier ich ihm ihn ihr ihre
  ihrem ihren ihrer im in ist ja jetzt kann kannst konnen konnte mal man mich mir mit mochte muss nach nicht noch
  nun nur ob oder ohne schon sehr sein seine sich sie sind so soll sollte uber um und uns unser unsere vom von vor
  war waren was weil welche welcher welches wenn wer werde werden wie wieder will wir wird wo wurde wurden zu zum
  zur mein meine meinen meinem meiner dein deine euren eurem ihr`.split(/\s+/),
);

const STOP_WORDS: Record<string, ReadonlySet<string>> = { en: ENGLISH_STOP_WORDS, de: GERMAN_STOP_WORDS };

/** German written without umlauts ("haelt", "Rueckgabe") is the same word as with them ("hält" → "halt"). */
const TRANSLITERATION: Record<string, (token: string) => string> = {
  de: (token) => token.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/(?<!q)ue/g, 'u'),
};

/** The language part of a locale: `en-GB` → `en`. */
export function language(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

/** Lower-case, without diacritics (German ß → ss), apostrophes dropped so "don't" and "dont" are one word. */
export function normalize(text: string): string {
  // ASCII text has no diacritics, ß or ’ to fold: lower-casing and the apostrophes are all there is to do.
  if (ASCII.test(text)) return text.toLowerCase().replace(/['`]/g, '');
  return text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '');
}

/** Splits text into lower-case words and numbers ("IP67", "5G" and "22:00" → "ip67", "5g", "22", "00"). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  eachToken(text, (normal, from, to) => tokens.push(normal.slice(from, to)));
  return tokens;
}

/**
 * Calls `visit` with each token of `text` as a range of its normalised form (what `tokenize` returns, without
 * making a string of each: an index of 100,000 passages looks most of its millions of words up by their characters).
 */
export function eachToken(text: string, visit: (normal: string, from: number, to: number) => void): void {
  const normal = normalize(text);
  if (!ASCII.test(normal)) {
    for (const token of normal.split(/[^\p{L}\p{N}]+/u)) if (token.length > 0) visit(token, 0, token.length);
    return;
  }
  // The same split for ASCII text, by character codes: the Unicode-aware regular expression took most of the time.
  let start = -1;
  for (let i = 0; i <= normal.length; i++) {
    const c = i < normal.length ? normal.charCodeAt(i) : 0;
    const inWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) visit(normal, start, i), (start = -1);
  }
}

const ASCII = /^[\x00-\x7f]*$/;

export interface Analyzer {
  /** A token's index term, or null for a stop word. */
  term(token: string): string | null;
  /** tokenize + term, stop words removed. */
  terms(text: string): string[];
}

const analyzers = new Map<string, Analyzer>();

/** The analyzer for a locale: its stop words and Snowball stemmer, or lower-casing only for other languages. */
export function analyzerFor(locale: string): Analyzer {
  const lang = language(locale);
  let analyzer = analyzers.get(lang);
  if (analyzer) return analyzer;
  const stem = STEMMERS[lang] ?? ((word: string) => word);
  const stop = STOP_WORDS[lang] ?? new Set<string>();
  const transliterate = TRANSLITERATION[lang] ?? ((token: string) => token);
  const cache = new Map<string, string | null>();
  const term = (token: string): string | null => {
    let value = cache.get(token);
    if (value !== undefined) return value;
    const plain = transliterate(token);
    // A stop word is one as written or as transliterated ("euer" reads as "eur", and is still a function word).
    value = stop.has(plain) || stop.has(token) ? null : stem(plain);
    if (cache.size < 200_000) cache.set(token, value);
    return value;
  };
  analyzer = {
    term,
    terms: (text) => tokenize(text).flatMap((token) => term(token) ?? []),
  };
  analyzers.set(lang, analyzer);
  return analyzer;
}
