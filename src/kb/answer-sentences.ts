/**
 * An offline answer is the sentences of a passage that answer the question, not its opening: each sentence is
 * scored by the question's (stemmed) words it contains, rarer words counting more; the best one is kept, with the
 * others that score nearly as well, in the passage's order, within the channel's length. A question that no
 * sentence shares a word with gets the passage's opening, which states what the passage is about. A word counts as
 * shared in the customer's spelling too: with a typo ("wtaerproof"), or as another form of it ("weigh" / "weight",
 * "recharge" / "charge").
 */
import { closeEnough } from '../engine/fuzzy.ts';
import { analyzerFor } from '../search/text.ts';
import { shorten } from './shorten.ts';
import type { Passage } from './types.ts';

/** Sentences scoring at least this share of the best one are kept beside it. */
const NEARLY_AS_GOOD = 0.6;
/** Sentences in an answer at most. */
const MAX_SENTENCES = 3;

/** The passage's sentences (list lines count as sentences), in order. */
export function sentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…]["'”’)\]]*)\s+(?=[\p{Lu}\p{N}"'“(€£$])/u))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Word stems shorter than this are not matched as part of another word ("card" is not in "cardboard"). */
const MIN_AFFIX = 5;

/** Whether `terms` has `term`, or a stem it is a typo of, or one that is the other's beginning or end (see above). */
function has(terms: ReadonlySet<string>, term: string): boolean {
  if (terms.has(term)) return true;
  for (const own of terms) {
    const [short, long] = own.length <= term.length ? [own, term] : [term, own];
    if (closeEnough(term, own) || (short.length >= MIN_AFFIX && (long.startsWith(short) || long.endsWith(short)))) return true;
  }
  return false;
}

/** The passage best fitting the question among an article's passages: most of the question's words in its heading, text or title. */
export function bestPassage(passages: readonly Passage[], question: string): Passage | undefined {
  let best: { passage: Passage; score: number } | undefined;
  for (const passage of passages) {
    const analyzer = analyzerFor(passage.locale);
    // Every passage of an article is about what its title names (the product): those words tell passages apart least.
    const title = new Set(analyzer.terms(passage.title));
    const wanted = new Set(analyzer.terms(question).filter((term) => !title.has(term)));
    const heading = new Set(analyzer.terms(passage.heading ?? ''));
    const body = new Set(analyzer.terms(passage.text));
    let score = 0;
    for (const term of wanted) score += (has(heading, term) ? 3 : 0) + (has(body, term) ? 1 : 0);
    if (!best || score > best.score) best = { passage, score };
  }
  return best?.passage;
}

/** The sentences of `passage` that answer `question`, within `maxLength` characters. */
export function answerSentences(passage: Passage, question: string, maxLength: number): string {
  const all = sentences(passage.text);
  if (all.length <= 1) return shorten(passage.text, maxLength);
  const analyzer = analyzerFor(passage.locale);
  // Editors put the answer to a section's question in its first sentences (knowledge/README.md): the first sentence
  // is read with the heading, so "how long does the battery last" finds "Up to 40 hours…" under "Battery and charging".
  const headingTerms = analyzer.terms(passage.heading ?? '');
  const termSets = all.map((s, i) => new Set([...analyzer.terms(s), ...(i === 0 ? headingTerms : [])]));
  // A word in every sentence tells them apart least: weight by how few sentences have it.
  const weight = (term: string) => Math.log(1 + all.length / (1 + termSets.filter((t) => has(t, term)).length));
  const wanted = [...new Set(analyzer.terms(question))];
  const scores = termSets.map((terms) => wanted.reduce((sum, term) => sum + (has(terms, term) ? weight(term) : 0), 0));
  const top = Math.max(...scores);
  if (top <= 0) return shorten(passage.text, maxLength);
  const order = scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const kept: number[] = [];
  let length = 0;
  for (const { score, i } of order) {
    if (kept.length >= MAX_SENTENCES || (kept.length > 0 && score < top * NEARLY_AS_GOOD)) break;
    const added = all[i]!.length + (kept.length > 0 ? 1 : 0);
    if (kept.length > 0 && length + added > maxLength) break;
    kept.push(i);
    length += added;
  }
  return shorten(kept.sort((a, b) => a - b).map((i) => all[i]!).join(' '), maxLength);
}
