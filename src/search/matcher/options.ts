/** The matcher's settings; every default was chosen on dev halves only (bench/understanding/tune.ts). */
import type { FieldKind } from './types.ts';

export interface SynonymSource {
  /** Words that may stand for `word` in `language` ("colour" → "color", "hue"), each with a weight in (0, 1). */
  synonyms(word: string, language: string): ReadonlyArray<readonly [string, number]>;
}

export interface MatcherOptions {
  /** How much a term found in each kind of field counts in the document-level BM25. */
  fieldWeights: Record<FieldKind, number>;
  bm25: { k1: number; b: number };
  /** Fields short enough to be compared with the query one by one (nearest neighbour); `text` is BM25 only. */
  unitKinds: readonly FieldKind[];
  /** Character n-gram lengths for typo-tolerant similarity, or null for words only. */
  charGrams: { min: number; max: number } | null;
  /** Share of the character n-gram cosine in a field's similarity (the rest is the word cosine). */
  charShare: number;
  /** How many of a document's closest fields the `topMean` feature averages. */
  topK: number;
  /** Correct words no document contains to the closest one that is there. */
  typos: boolean;
  /** Query expansion; null for none. */
  synonyms: SynonymSource | null;
  /** The linear model over the features that gives the score: intercept first (see features.ts for the order). */
  model: readonly number[];
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  fieldWeights: { title: 3, question: 3, example: 2, keyword: 2, description: 1, heading: 2, text: 1 },
  bm25: { k1: 1.2, b: 0.75 },
  unitKinds: ['title', 'question', 'example', 'keyword', 'description', 'heading'],
  charGrams: { min: 3, max: 5 },
  charShare: 0.6,
  topK: 3,
  typos: true,
  synonyms: null,
  model: [-6.78, 0.43, 3.45, 3.45, 3.45, 0.43],
};
