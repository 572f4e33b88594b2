/**
 * Text analysis for the matcher: the knowledge base's (src/search/text.ts: one normalisation, one tokenizer, each
 * language's stop words, transliteration and Snowball stemmer), seen as the matcher uses it, and character n-grams
 * for typos. Documents and queries go through the same functions, so they always meet on the same terms.
 */
import { analyzerFor as termAnalyzer, eachToken, language, normalize, tokenize } from '../text.ts';

export { eachToken, language, normalize, tokenize };

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
  const terms = termAnalyzer(lang);
  const analyzer: Analyzer = {
    language: lang,
    isStop: (token) => terms.term(token) === null,
    // Numbers and codes ("ip67", "2") are kept as they are: a stemmer would cut "ip67s" oddly and "10" stays "10".
    stem: (token) => (/\d/.test(token) ? token : (terms.term(token) ?? token)),
  };
  analyzers.set(lang, analyzer);
  return analyzer;
}

/** Character n-grams (lengths `min`..`max`) of each word padded with spaces, as scikit-learn's `char_wb`. */
export function charGrams(tokens: readonly string[], min: number, max: number): string[] {
  const grams: string[] = [];
  for (const token of tokens) eachCharGram(token, min, max, (padded, from, to) => grams.push(padded.slice(from, to)));
  return grams;
}

/** `charGrams` of one word, each as a range of the padded word (an index looks them up without making strings). */
export function eachCharGram(token: string, min: number, max: number, visit: (padded: string, from: number, to: number) => void): void {
  const padded = ` ${token} `;
  for (let n = min; n <= max; n++) {
    if (padded.length < n) break;
    for (let i = 0; i + n <= padded.length; i++) visit(padded, i, i + n);
  }
}
