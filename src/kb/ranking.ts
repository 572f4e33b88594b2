/** What retrieval starts from: articles ranked for a question in one language, with a confidence in the first. */
import type { Passage } from './types.ts';

export interface RankedArticle {
  articleId: string;
  /** Comparable within one query only. */
  score: number;
  /** The article's passage that ranked best. */
  passage: Passage;
}

export interface Ranking {
  /** The languages it ranks in. */
  readonly languages: ReadonlySet<string>;
  /** Whether the index was loaded from a copy kept on disk rather than built. */
  readonly loaded?: boolean;
  /** Whether some articles were indexed anew since it was built or loaded, without a rebuild. */
  readonly updated?: boolean;
  /** Articles best first, at most `limit`, and how likely the first is the one that answers (0..1). */
  search(question: string, lang: string, limit: number): { hits: RankedArticle[]; confidence: number };
}
