/**
 * Which flow free text asks for. Text is compared as lowercase words without accents or punctuation.
 *
 * Keywords: a keyword (a word or a phrase) found exactly, as whole words in order, scores from 1 and always beats
 * a tolerant match; a flow scores more the more keyword words it matches ("hello, I want a refund": the returns
 * flow's "refund" ties with the greeting's "hello", so its examples break the tie). A tolerant match finds the
 * keyword's content words anywhere in the text, in any order, each allowed a typo (Damerau-Levenshtein: one
 * edit from 5 letters, two from 9): "status of my oder" still asks for "order status". It scores from
 * TOLERANT_SCORE, under every exact match.
 * Examples score by the overlap of their content words with the text (Dice coefficient, typos tolerated the
 * same way) and count from EXAMPLE_THRESHOLD.
 * Remaining ties go to the flow whose name sorts first. Buttons never get here: a pressed button or its typed
 * title or number is resolved before any matching.
 */
import { closeEnough } from './fuzzy.ts';
import type { Flow } from './model.ts';
import { stem, terms, words } from './text.ts';

/** Lowest example score that starts a flow: half the content words shared. */
export const EXAMPLE_THRESHOLD = 0.5;

/** Score of a tolerant keyword match before its bonuses; the bonuses keep it under 1, the lowest exact match. */
export const TOLERANT_SCORE = 0.7;

const STOPWORDS = new Set(
  ('a an the is are am was were be been being i im me my mine we our you your it its to of in on at for ' +
    'from with and or but do does did done have has had can could would should will what where when how why ' +
    'which who this that these those there here please just so s t m d ll re ve yet still now ' +
    // German, so editors can write examples and keywords in both languages.
    'der die das den dem des ein eine einen einem einer ist sind war bin bist hat habe haben ich mich mir mein ' +
    'meine meinen meiner wir uns unser ihr sie es du dich dein kann konnen und oder aber zu von mit fur auf ' +
    'bei nach im wo wie was wann warum wer bitte noch schon nur mal denn doch ja').split(' '),
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

const found = (input: readonly string[], wanted: string) => input.some((typed) => closeEnough(typed, wanted));

/** Every content word of the keyword (all its words when it has no content words) somewhere in the text, typos allowed. */
function tolerantWords(input: readonly string[], keyword: string): number {
  const content = contentTerms(keyword);
  const wanted = content.length > 0 ? content : terms(keyword);
  return wanted.length > 0 && wanted.every((word) => found(input, word)) ? wanted.length : 0;
}

function keywordScore(flow: Flow, input: readonly string[]): number {
  let exact = 0;
  let tolerant = 0;
  for (const keyword of flow.triggers.keywords) {
    const phrase = terms(keyword);
    if (containsPhrase(input, phrase)) exact += phrase.length;
    else tolerant += tolerantWords(input, keyword);
  }
  if (exact > 0) return 1 + exact / 100;
  return tolerant === 0 ? 0 : TOLERANT_SCORE + Math.min(tolerant, 9) / 100;
}

function exampleScore(flow: Flow, input: readonly string[]): number {
  let best = 0;
  const distinct = new Set(input);
  for (const example of flow.triggers.examples) {
    const wanted = new Set(contentTerms(example));
    if (wanted.size === 0 || distinct.size === 0) continue;
    let shared = 0;
    for (const term of wanted) if (distinct.has(term) || found(input, term)) shared += 1;
    best = Math.max(best, (2 * shared) / (wanted.size + distinct.size));
  }
  return best;
}

/** The flow free text asks for, or undefined when none scores high enough. */
export function matchTrigger(flows: Iterable<Flow>, text: string): string | undefined {
  const input = terms(text);
  const content = contentTerms(text);
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
