/**
 * A choice answered in the customer's own words: "they are opened but work fine" → "Opened, works fine". Pure.
 *
 * The answer and each option (its titles in every language, and its payload) are read the same way: words are
 * folded (case, accents, ß), function words dropped, and each remaining word becomes a *concept* from the answer
 * lexicon (answer-lexicon.ts: "kaputt", "cracked" and "defective" are all `broken`) or, failing that, its English and
 * German stems. A negation turns a concept into its opposite ("never opened" → sealed, "geht nicht" → broken).
 * An option is out when the answer says the opposite of one of its concepts; of the others, the one sharing the
 * most with the answer wins (then the one with the fewest words the answer does not share), and only when it is the
 * single best: a tie or no shared word is no match. A word that is not a known word of the flows, the lexicon or
 * the options may be a typo of a lexicon or option word (one edit from 5 letters, two from 9).
 */
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as german } from '@orama/stemmers/german';
import { CONCEPTS, FUNCTION_WORDS, NEGATIONS } from './answer-lexicon.ts';
import { allowedEdits, editDistance } from './fuzzy.ts';
import type { FlowButton } from './model.ts';

/** Whether a (folded) word is a real word of the vocabulary the caller knows, and so never taken for a typo. */
export type KnownWord = (word: string) => boolean;

/** One meaningful word: a concept (`c:broken`) or a plain word's forms (`w:`, `e:` English stem, `d:` German stem). */
interface Unit {
  keys: readonly string[];
  concept?: string;
}

/** The payload of the single option the answer means, or undefined (no option, or more than one equally). */
export function matchOption(answer: string, options: readonly FlowButton[], known: KnownWord = () => false): string | undefined {
  const typoTargets = [...new Set(options.flatMap((o) => titlesOf(o).flatMap(tokens)))];
  const said = analyze(answer, { known, typoTargets });
  if (said.length === 0) return undefined;
  const saidKeys = new Set(said.flatMap((u) => u.keys));
  const saidConcepts = new Set(said.flatMap((u) => (u.concept ? [u.concept] : [])));
  const scored = options.flatMap((option) => {
    const variants = [...titlesOf(option), option.payload.replace(/[_-]+/g, ' ')].map((text) => analyze(text));
    const contradicted = variants.flat().some((u) => u.concept !== undefined && saidConcepts.has(OPPOSITE.get(u.concept) ?? ''));
    if (contradicted) return [];
    const best = variants
      .filter((units) => units.length > 0)
      .map((units) => {
        const shared = units.filter((u) => u.keys.some((key) => saidKeys.has(key))).length;
        return { shared, unshared: units.length - shared };
      })
      .sort(byScore)[0];
    return best && best.shared > 0 ? [{ payload: option.payload, ...best }] : [];
  });
  scored.sort(byScore);
  const [first, second] = scored;
  if (!first) return undefined;
  if (second && byScore(first, second) === 0) return undefined;
  return first.payload;
}

function byScore(a: { shared: number; unshared: number }, b: { shared: number; unshared: number }): number {
  return b.shared - a.shared || a.unshared - b.unshared;
}

function titlesOf(option: FlowButton): string[] {
  return typeof option.title === 'string' ? [option.title] : Object.values(option.title);
}

// --- reading text --------------------------------------------------------------------------------------------

const OPPOSITE = new Map(CONCEPTS.flatMap((c) => (c.opposite ? [[c.id, c.opposite] as const] : [])));
/** How many words after a negation it still applies to ("does not really look opened"). */
const NEGATION_REACH = 4;

/** Lower-case, no accents, ß → ss, "doesn't"/"doesnt"/"cannot" → "does not"/"can not". */
export function fold(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need|wo|ca|ai)n['’]?t\b/g, '$1 not')
    .replace(/\bcannot\b/g, 'can not')
    .replace(/['’`]/g, '');
}

function tokens(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

/** Clauses: a negation does not reach past a comma or a full stop. */
function clauses(text: string): string[][] {
  return fold(text).split(/[.,;:!?()\n]+|\s[-–—]\s/).map((c) => c.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0));
}

const CONCEPT_BY_WORD = new Map<string, string>();
const CONCEPT_BY_STEM = new Map<string, string>();
const PHRASES = new Map<string, string>();
let longestPhrase = 1;
for (const concept of CONCEPTS) {
  for (const entry of concept.words) {
    const words = tokens(entry);
    if (words.length > 1) {
      PHRASES.set(words.join(' '), concept.id);
      longestPhrase = Math.max(longestPhrase, words.length);
      continue;
    }
    const word = words[0]!;
    if (!CONCEPT_BY_WORD.has(word)) CONCEPT_BY_WORD.set(word, concept.id);
    for (const stem of [`e:${english(word)}`, `d:${german(word)}`]) if (!CONCEPT_BY_STEM.has(stem)) CONCEPT_BY_STEM.set(stem, concept.id);
  }
}
const LEXICON_WORDS = [...CONCEPT_BY_WORD.keys()];

function conceptOf(word: string): string | undefined {
  return CONCEPT_BY_WORD.get(word) ?? CONCEPT_BY_STEM.get(`e:${english(word)}`) ?? CONCEPT_BY_STEM.get(`d:${german(word)}`);
}

function unitOf(word: string, negated: boolean): Unit | undefined {
  const concept = conceptOf(word);
  if (concept !== undefined) return conceptUnit(concept, negated);
  if (negated) return undefined;
  return /\d/.test(word) ? { keys: [`w:${word}`] } : { keys: [`w:${word}`, `e:${english(word)}`, `d:${german(word)}`] };
}

function conceptUnit(concept: string, negated: boolean): Unit | undefined {
  const meant = negated ? OPPOSITE.get(concept) : concept;
  return meant === undefined ? undefined : { keys: [`c:${meant}`], concept: meant };
}

interface AnalyzeOptions {
  known: KnownWord;
  /** Words a typo may be read as, besides the lexicon's. */
  typoTargets: readonly string[];
}

/** The meaningful words of a text, negations applied; with options, unknown words may be read as typos. */
function analyze(text: string, typos?: AnalyzeOptions): Unit[] {
  const units: Unit[] = [];
  for (const words of clauses(text)) {
    let negatedAt = -Infinity;
    let pending = false;
    let lastConcept = -1;
    let beforeNegation = -1;
    const add = (unit: Unit | undefined, negated: boolean) => {
      if (negated) pending = false;
      if (!unit) return;
      units.push(unit);
      if (unit.concept) lastConcept = units.length - 1;
    };
    for (let i = 0; i < words.length; ) {
      const negated = pending && i - negatedAt <= NEGATION_REACH;
      const phrase = phraseAt(words, i);
      if (phrase) {
        add(conceptUnit(phrase.concept, negated), negated);
        i += phrase.length;
        continue;
      }
      const word = words[i]!;
      i += 1;
      if (NEGATIONS.has(word) && !(word === 'no' && !startsConcept(words, i))) {
        negatedAt = i - 1;
        pending = true;
        beforeNegation = lastConcept;
        continue;
      }
      if (FUNCTION_WORDS.has(word) && conceptOf(word) === undefined) continue;
      const read = typos ? readTypo(word, typos) : word;
      // A negated plain word is dropped; only a concept takes the negation up.
      if (negated && conceptOf(read) === undefined) continue;
      add(unitOf(read, negated), negated);
    }
    // German puts the negation after the verb: "es funktioniert nicht (mehr)" turns the concept before it.
    const turned = pending ? units[beforeNegation]?.concept : undefined;
    if (turned !== undefined) {
      const flipped = conceptUnit(turned, true);
      if (flipped) units[beforeNegation] = flipped;
      else units.splice(beforeNegation, 1);
    }
  }
  return units;
}

function phraseAt(words: readonly string[], at: number): { concept: string; length: number } | undefined {
  for (let length = Math.min(longestPhrase, words.length - at); length >= 2; length--) {
    const concept = PHRASES.get(words.slice(at, at + length).join(' '));
    if (concept) return { concept, length };
  }
  return undefined;
}

function startsConcept(words: readonly string[], at: number): boolean {
  const word = words[at];
  return word !== undefined && (phraseAt(words, at) !== undefined || conceptOf(word) !== undefined);
}

/** A word nobody knows, read as the lexicon or option word it is a typo of, when exactly one is closest. */
function readTypo(word: string, { known, typoTargets }: AnalyzeOptions): string {
  if (/\d/.test(word) || word.length < 5 || conceptOf(word) !== undefined || known(word)) return word;
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  for (const target of [...LEXICON_WORDS, ...typoTargets]) {
    const limit = allowedEdits(target.length);
    if (limit === 0 || target === word) continue;
    const distance = editDistance(word, target, limit);
    if (distance > limit) continue;
    if (distance < bestDistance) {
      best = target;
      bestDistance = distance;
      tied = false;
    } else if (distance === bestDistance && best !== undefined && (conceptOf(target) ?? target) !== (conceptOf(best) ?? best)) {
      tied = true;
    }
  }
  return best !== undefined && !tied ? best : word;
}

/** Whether a folded word is one of the lexicon's or a function word: real words, never typos. */
export function isLexiconWord(word: string): boolean {
  return FUNCTION_WORDS.has(word) || NEGATIONS.has(word) || conceptOf(word) !== undefined;
}
