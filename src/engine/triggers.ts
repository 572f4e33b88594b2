/**
 * Which flow free text asks for. Keywords match as whole words or phrases (case- and accent-insensitive)
 * and beat examples; a flow scores more the more keyword words it matches ("hello, I want a refund": the
 * returns flow's "refund" ties with the greeting's "hello", so its examples break the tie). Examples score
 * by the overlap of their content words with the text (Dice coefficient) and count from EXAMPLE_THRESHOLD.
 * Remaining ties go to the flow whose name sorts first.
 */
import type { Flow } from './model.ts';
import { stem, terms, words } from './text.ts';

/** Lowest example score that starts a flow: half the content words shared. */
export const EXAMPLE_THRESHOLD = 0.5;

const STOPWORDS = new Set(
  ('a an the is are am was were be been being i im me my mine we our you your it its to of in on at for ' +
    'from with and or but do does did done have has had can could would should will what where when how why ' +
    'which who this that these those there here please just so s t m d ll re ve yet still now').split(' '),
);

function contentTerms(text: string): string[] {
  return words(text).filter((word) => !STOPWORDS.has(word)).map(stem);
}

function containsPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= haystack.length; i++) {
    if (phrase.every((word, j) => haystack[i + j] === word)) return true;
  }
  return false;
}

function keywordScore(flow: Flow, input: readonly string[]): number {
  let matchedWords = 0;
  for (const keyword of flow.triggers.keywords) {
    const phrase = terms(keyword);
    if (containsPhrase(input, phrase)) matchedWords += phrase.length;
  }
  return matchedWords === 0 ? 0 : 1 + matchedWords / 100;
}

function exampleScore(flow: Flow, input: ReadonlySet<string>): number {
  let best = 0;
  for (const example of flow.triggers.examples) {
    const wanted = new Set(contentTerms(example));
    if (wanted.size === 0 || input.size === 0) continue;
    let shared = 0;
    for (const term of wanted) if (input.has(term)) shared += 1;
    best = Math.max(best, (2 * shared) / (wanted.size + input.size));
  }
  return best;
}

/** The flow free text asks for, or undefined when none scores high enough. */
export function matchTrigger(flows: Iterable<Flow>, text: string): string | undefined {
  const input = terms(text);
  const content = new Set(contentTerms(text));
  let best: { name: string; score: number } | undefined;
  const sorted = [...flows].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const flow of sorted) {
    const keywords = keywordScore(flow, input);
    const examples = exampleScore(flow, content);
    const score = keywords > 0 ? keywords + examples / 10 : examples;
    if (score >= EXAMPLE_THRESHOLD && (!best || score > best.score)) best = { name: flow.name, score };
  }
  return best?.name;
}

/** True when the whole message is one of the flow's keywords ("menu", "talk to a person"). */
export function isExactKeyword(flow: Flow, text: string): boolean {
  const said = terms(text).join(' ');
  return said !== '' && flow.triggers.keywords.some((keyword) => terms(keyword).join(' ') === said);
}
