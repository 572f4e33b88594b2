import type { KnowledgeHit } from '../core/knowledge-port.ts';

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
  /** A passage whose score is under this share of the first's is unrelated. Default 0.2. */
  relativeScore?: number;
}

const SNIPPET = 220;

/**
 * The knowledge base's best distinct passages for a question: none when it was not understood (under the
 * threshold), then the first and those nearly as good, one per article, none repeating another's words.
 */
export function pickSuggestions(found: FoundPassages, options: SuggestOptions): Suggestion[] {
  const [first] = found.hits;
  if (!first || found.confidence < options.minConfidence) return [];
  const picked: Suggestion[] = [];
  const seen: Array<Set<string>> = [];
  const articles = new Set<string>();
  for (const hit of found.hits) {
    if (picked.length >= (options.limit ?? 3)) break;
    if (hit !== first && hit.score < first.score * (options.relativeScore ?? 0.2)) continue;
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
