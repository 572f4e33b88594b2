import type { KnowledgeHit } from '../core/knowledge-port.ts';
import type { Understood } from '../core/understanding.ts';
import { matcherConfidence } from '../search/matcher/confidence.ts';

/** A passage offered to the agent as a reply to the customer's latest question. No score: agents read, not rank. */
export interface Suggestion {
  articleId: string;
  title: string;
  /** The passage's opening, a sentence or two, for the list. */
  snippet: string;
  /** The whole passage, to insert and edit. */
  text: string;
}

/** What the knowledge base found for a question: its passages, best first (one per article), and how sure it is. */
export interface FoundPassages {
  hits: readonly KnowledgeHit[];
  /** 0..1: how likely the first passage answers the question. */
  confidence: number;
}

export interface SuggestOptions {
  /** UNDERSTANDING_MIN_CONFIDENCE: under it the question was not understood, and nothing is suggested. */
  minConfidence: number;
  /** At most this many. Default 3. */
  limit?: number;
  /**
   * The articles the understanding step confidently matched to the question, best first (confidentArticles): only
   * these are suggested, in this order. Absent (no understanding step): the knowledge base's own confidence decides.
   */
  articles?: readonly string[];
}

const SNIPPET = 220;

/**
 * Whether a passage scored `score` may be suggested beside the first, scored `first` (matcher scores), by the
 * understanding's own model and threshold: the model could not confidently prefer the first to it (it may be what the
 * customer meant), and alone it would be a confident match (not a word or two in passing). One clearly weaker than
 * the first is only loosely related.
 */
export function alongside(first: number, score: number, minConfidence: number): boolean {
  return matcherConfidence(first, score) < minConfidence && matcherConfidence(score, 0) >= minConfidence;
}

/**
 * The articles the understanding step matched to the question with confidence, best first; empty when it did not
 * understand it (a decline, under UNDERSTANDING_MIN_CONFIDENCE) or read one of Parley's own requests (a person,
 * STOP). The article it chose comes first; when it chose a flow, the articles it ranked above that flow. Then the
 * others it ranked that may stand beside the first (`alongside`).
 */
export function confidentArticles(understood: Understood, minConfidence: number): string[] {
  const { decision, candidates } = understood;
  if (understood.intent || decision.kind === 'decline' || decision.confidence < minConfidence) return [];
  const knowledge = candidates.filter((c) => c.kind === 'knowledge');
  const ranked = decision.kind === 'knowledge'
    ? [...knowledge.filter((c) => c.id === decision.article), ...knowledge.filter((c) => c.id !== decision.article)]
    : knowledge.filter((c) => candidates.indexOf(c) < candidates.findIndex((f) => f.kind === 'flow' && f.id === decision.flow));
  const [first] = ranked;
  if (!first) return [];
  return ranked.filter((c) => c === first || alongside(first.score, c.score, minConfidence)).map((c) => c.id);
}

/**
 * The knowledge base's best distinct passages for a question: none when its search is not confident (under the
 * threshold) or, given, the understanding step matched no article with confidence; then the first and those that may
 * stand beside it, one per article, none repeating another's words.
 */
export function pickSuggestions(found: FoundPassages, options: SuggestOptions): Suggestion[] {
  if (found.confidence < options.minConfidence) return [];
  const hits = options.articles
    ? options.articles.flatMap((id) => found.hits.filter((hit) => hit.id === id).slice(0, 1))
    : found.hits;
  const [first] = hits;
  if (!first) return [];
  const picked: Suggestion[] = [];
  const seen: Array<Set<string>> = [];
  const articles = new Set<string>();
  for (const hit of hits) {
    if (picked.length >= (options.limit ?? 3)) break;
    if (hit !== first && !options.articles && !alongside(first.score, hit.score, options.minConfidence)) continue;
    const text = hit.passage.trim();
    const words = wordsOf(text);
    if (!text || articles.has(hit.id) || seen.some((other) => overlap(words, other) > 0.6)) continue;
    articles.add(hit.id);
    seen.push(words);
    picked.push({ articleId: hit.id, title: hit.title, snippet: snippetOf(text), text });
  }
  return picked;
}

/** The passage's first sentences up to about SNIPPET characters, Markdown marks dropped. */
export function snippetOf(passage: string): string {
  const plain = passage.replace(/^#+\s+/gm, '').replace(/[*_`>]+/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  if (plain.length <= SNIPPET) return plain;
  const sentences = plain.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [];
  let snippet = '';
  for (const sentence of sentences) {
    if ((snippet + sentence).length > SNIPPET) break;
    snippet += sentence;
  }
  return snippet.trim() || `${plain.slice(0, SNIPPET - 1).replace(/\s+\S*$/, '')}…`;
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/\p{L}[\p{L}\p{N}]{2,}/gu) ?? []);
}

/** Share of the smaller set's words the other also has. */
function overlap(a: Set<string>, b: Set<string>): number {
  const smaller = a.size <= b.size ? a : b;
  const larger = smaller === a ? b : a;
  if (smaller.size === 0) return 1;
  let shared = 0;
  for (const word of smaller) if (larger.has(word)) shared += 1;
  return shared / smaller.size;
}
