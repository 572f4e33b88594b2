/**
 * Text analysis for the matcher: one normalisation, one tokenizer, a stop list and a Snowball stemmer per
 * language (English, German; other languages are lower-cased only), and character n-grams for typos.
 * Documents and queries go through the same functions, so they always meet on the same terms.
 */
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as german } from '@orama/stemmers/german';
import { ENGLISH_STOP_WORDS, language } from '../../kb/text.ts';

export { language };

const STEMMERS: Record<string, (word: string) => string> = { en: english, de: german };

/**
 * Function words: generic lists (articles, pronouns, auxiliaries, prepositions, question words), not picked by
 * looking at any evaluation set. Negations stay: "not working" and "working" are different questions.
 */
const STOP_WORDS: Record<string, ReadonlySet<string>> = {
  en: ENGLISH_STOP_WORDS,
  de: new Set(
    `der die das den dem des ein eine einen einem einer eines und oder aber als am an auf aus bei bin bis bist da
    dann dass du er es euch euer eure für hab habe haben hat hatte ich ihr ihm ihn ihnen im in ist ja jetzt mal man
    mein meine meinen meinem meiner mich mir mit nach noch nun ob sein seine sie sind so über um uns unser unsere
    vom von vor war waren was wer wie wir wird wo wurde zu zum zur auch bitte denn doch etwas gibt hallo kann
    kannst können könnte möchte möchten muss soll sollte will würde wieso warum wann welche welcher welches`
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .split(/\s+/),
  ),
};

/** Lower-case, without diacritics (German ß → ss), apostrophes dropped so "don't" and "dont" are one word. */
export function normalize(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '');
}

/** Lower-case words and numbers. */
export function tokenize(text: string): string[] {
  return normalize(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

export interface Analyzer {
  readonly language: string;
  /** Whether a token is a function word of the language. */
  isStop(token: string): boolean;
  /** A token's stem. */
  stem(token: string): string;
}

const analyzers = new Map<string, Analyzer>();

export function analyzerFor(locale: string): Analyzer {
  const lang = language(locale);
  const known = analyzers.get(lang);
  if (known) return known;
  const stemmer = STEMMERS[lang] ?? ((word: string) => word);
  const stop = STOP_WORDS[lang] ?? new Set<string>();
  const cache = new Map<string, string>();
  const analyzer: Analyzer = {
    language: lang,
    isStop: (token) => stop.has(token),
    stem(token) {
      let value = cache.get(token);
      if (value === undefined) {
        // Numbers and codes ("ip67", "2") are kept as they are: a stemmer would cut "ip67s" oddly and "10" stays "10".
        value = /\d/.test(token) ? token : stemmer(token);
        if (cache.size < 100_000) cache.set(token, value);
      }
      return value;
    },
  };
  analyzers.set(lang, analyzer);
  return analyzer;
}

/** Character n-grams (lengths `min`..`max`) of each word padded with spaces, as scikit-learn's `char_wb`. */
export function charGrams(tokens: readonly string[], min: number, max: number): string[] {
  const grams: string[] = [];
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let n = min; n <= max; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
    }
  }
  return grams;
}
