import type { SimilarArticles } from '../core/understanding.ts';
import type { KnowledgeAnswer, KnowledgeHit, KnowledgePort } from '../core/knowledge-port.ts';

/** One retrievable piece of an article: a Markdown section, or an FAQ answer. */
export interface Passage {
  /**
   * `<article id>#<n>` in the default locale, `<article id>@<locale>#<n>` in others (`products/wave-700-anc@de#2`),
   * n counting from 0 in file order: unique across the whole base.
   */
  id: string;
  /** The article's id, the same in every locale of the article. */
  articleId: string;
  /** The article's title. */
  title: string;
  /** The section's heading path without the article title ("Battery › Charging"), or null for the intro. */
  heading: string | null;
  /** The article's example questions (every passage of an article carries them). */
  questions: string[];
  tags: string[];
  locale: string;
  /** The passage as plain text (Markdown markup removed): what an offline answer quotes. */
  text: string;
  /** Where the passage starts, for editors. */
  file: string;
  line: number;
}

/** An article in one locale; (id, locale) is unique in a base, and translations share their original's id. */
export interface Article {
  /**
   * FAQ id, or the Markdown file's path relative to the knowledge directory without extension and without a
   * locale suffix (`products/wave-700-anc.de.md` → `products/wave-700-anc`).
   */
  id: string;
  title: string;
  questions: string[];
  tags: string[];
  /** From the file name's suffix (`.de.md`, `faq.de.jsonl`), else the front matter's or entry's, else the default. */
  locale: string;
  file: string;
  passages: Passage[];
}

/** A problem in a knowledge file, reported as `file:line message`. */
export interface KbIssue {
  file: string;
  line: number;
  message: string;
}

export interface LoadedKnowledge {
  articles: Article[];
  issues: KbIssue[];
  /** Knowledge files read (Markdown and JSON Lines). */
  files: number;
}

export interface KbStats {
  files: number;
  articles: number;
  passages: number;
  /** Articles per locale. */
  locales: Record<string, number>;
  /** Articles per tag, most used first. */
  tags: Record<string, number>;
  issues: number;
  /** Passages with an embedding (0 without OpenAI). */
  embedded: number;
  /** When the index in use was built. */
  builtAt: string;
  /**
   * Whether the index was loaded from the copy kept under DATA_DIR (nothing changed since it was built), built, or
   * updated: the files changed since then re-indexed alone, without a rebuild.
   */
  index: 'loaded' | 'built' | 'updated';
}

/** One unanswered question, as editors see it: no customer identity, private data masked. */
export interface KbGap {
  question: string;
  confidence: number;
  /** The closest article found, if any, to help the editor see what the bot confused it with. */
  nearestArticleId: string | null;
  locale: string | null;
  at: Date;
}

/** Similar unanswered questions, with how often they were asked. */
export interface KbGapGroup {
  count: number;
  /** The most asked wording in the group. */
  question: string;
  /** Other wordings, most frequent first (at most a few). */
  examples: string[];
  nearestArticleId: string | null;
  lastAt: Date;
}

export interface SearchOptions {
  /** Only articles of this locale (by language: `en-GB` finds `en`); the default locale's when it has none. */
  locale?: string;
  /** How many articles to return. Default: 5. */
  limit?: number;
}

export interface SearchResult {
  /** Best first, one per article. */
  hits: KnowledgeHit[];
  /** 0..1: how likely `hits[0]` is the article that answers the question. */
  confidence: number;
}

export interface AnswerOptions extends SearchOptions {
  /** Longest answer the channel takes, in characters. Default: 700. */
  maxLength?: number;
  /** Record the question as a gap when the knowledge base declines. Default: the `recordGaps` option. */
  recordGap?: boolean;
  /**
   * The understanding step's decision on this question: answer from this article (null: decline) with this confidence;
   * for a decline, `nearest` is the article ranked closest (recorded with the gap).
   */
  understood?: { article: string | null; confidence: number; passage?: string; nearest?: string };
}

/** The product knowledge base: the core's KnowledgePort plus what editors and the CLI need. */
export interface KnowledgeBase extends KnowledgePort {
  answer(question: string, options?: AnswerOptions): Promise<KnowledgeAnswer>;
  search(question: string, options?: SearchOptions): Promise<SearchResult>;
  stats(): KbStats;
  /** Problems found by the last load (broken files are left out of the index, the rest still serves). */
  issues(): KbIssue[];
  /** Articles closest in meaning to a question, in any language (embeddings); null when there are none. */
  similar?(question: string): Promise<SimilarArticles | null>;
  /** Reloads the directory and swaps in a new index; concurrent calls share one rebuild. */
  rebuild(): Promise<KbStats>;
  /** Records an unanswered question (masked, without identity). */
  recordGap(gap: { question: string; confidence: number; nearestArticleId?: string | null; locale?: string | null }): Promise<void>;
  /** Unanswered questions grouped by similarity, most frequent first. */
  gaps(options?: { limit?: number; since?: Date }): Promise<KbGapGroup[]>;
  /** The articles as loaded now, with a version that changes on every rebuild. */
  snapshot(): { version: string; articles: readonly Article[] };
  /** Stops watching the directory. */
  close(): Promise<void>;
}
