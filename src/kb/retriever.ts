/**
 * Ranks articles for a question: lexical (BM25+ through MiniSearch) always; with embeddings, fused with vector
 * similarity by reciprocal rank fusion. Built once from a set of articles and then read-only, so a rebuild makes
 * a new Retriever and swaps it in.
 */
import type { Logger } from '../infra/logger.ts';
import { lexicalConfidence, round3, sigmoid } from './confidence.ts';
import { DEFAULT_LEXICAL_SETTINGS, LexicalIndex, type LexicalHit, type LexicalSettings } from './lexical-index.ts';
import type { Embedder } from './openai/embedder.ts';
import type { VectorHit, VectorIndex } from './openai/vector-index.ts';
import { language } from './text.ts';
import type { Article, Passage } from './types.ts';

export interface RetrievedHit {
  articleId: string;
  title: string;
  /** Comparable within one query only. */
  score: number;
  passage: Passage;
}

export interface Retrieval {
  hits: RetrievedHit[];
  confidence: number;
}

/** Reciprocal rank fusion constant (the usual 60). */
const RRF_K = 60;
/** Candidates each retriever contributes before fusion, and at least what confidence needs. */
const CANDIDATES = 20;

/**
 * Confidence from vector similarity alone: a prior, not fitted (no embedding model was reachable when this was
 * written). With text-embedding-3-small a passage that answers a question usually scores 0.5 or more.
 */
export const VECTOR_CONFIDENCE = { center: 0.45, slope: 15, margin: 10 } as const;

export class Retriever {
  private constructor(
    readonly articles: readonly Article[],
    private readonly indexes: Map<string, LexicalIndex>,
    private readonly defaultLanguage: string,
    private readonly vectors: VectorIndex | null,
    private readonly embedder: Embedder | null,
    private readonly logger?: Logger,
  ) {}

  static build(
    articles: readonly Article[],
    options: { defaultLocale: string; settings?: LexicalSettings; vectors?: VectorIndex | null; embedder?: Embedder | null; logger?: Logger },
  ): Retriever {
    const byLanguage = new Map<string, Passage[]>();
    for (const article of articles) {
      const lang = language(article.locale);
      const list = byLanguage.get(lang) ?? [];
      list.push(...article.passages);
      byLanguage.set(lang, list);
    }
    const indexes = new Map([...byLanguage].map(([lang, passages]) => [lang, new LexicalIndex(passages, lang, options.settings ?? DEFAULT_LEXICAL_SETTINGS)]));
    const vectors = options.vectors ?? null;
    return new Retriever(articles, indexes, language(options.defaultLocale), vectors, vectors ? (options.embedder ?? null) : null, options.logger);
  }

  get embedded(): number {
    return this.vectors?.size ?? 0;
  }

  /** The language whose articles answer: the asked one when the base has it, else the default. */
  languageFor(locale?: string): string {
    const asked = locale ? language(locale) : this.defaultLanguage;
    if (this.indexes.has(asked)) return asked;
    if (this.indexes.has(this.defaultLanguage)) return this.defaultLanguage;
    return this.indexes.keys().next().value ?? this.defaultLanguage;
  }

  async search(question: string, options: { locale?: string; limit?: number } = {}): Promise<Retrieval> {
    const limit = options.limit ?? 5;
    const lang = this.languageFor(options.locale);
    const index = this.indexes.get(lang);
    if (!index) return { hits: [], confidence: 0 };
    const { hits: lexical, query } = index.search(question, Math.max(limit, CANDIDATES), limit);
    const lexicalSays = lexicalConfidence(lexical, query);
    const vector = await this.vectorSearch(question, lang);
    const retrieval = vector ? fuse(lexical, lexicalSays, vector, limit) : { hits: lexical.slice(0, limit).map(fromLexical), confidence: lexicalSays };
    return { ...retrieval, hits: this.related(retrieval.hits, limit, lang) };
  }

  /**
   * When fewer articles than asked for match the question, the list goes on with articles related to the first
   * one (most tags in common), with score 0: an editor or agent still sees where to look. Nothing matched: empty.
   */
  private related(hits: RetrievedHit[], limit: number, lang: string): RetrievedHit[] {
    const first = hits[0];
    if (!first || hits.length >= limit) return hits;
    const tags = new Set(this.articles.find((a) => a.id === first.articleId)?.tags ?? []);
    const taken = new Set(hits.map((h) => h.articleId));
    const shared = (a: Article) => a.tags.filter((t) => tags.has(t)).length;
    const more = this.articles
      .filter((a) => !taken.has(a.id) && language(a.locale) === lang && a.passages.length > 0)
      .sort((a, b) => shared(b) - shared(a) || a.id.localeCompare(b.id))
      .slice(0, limit - hits.length)
      .map((a) => ({ articleId: a.id, title: a.title, score: 0, passage: a.passages[0]! }));
    return [...hits, ...more];
  }

  private async vectorSearch(question: string, lang: string): Promise<VectorHit[] | null> {
    if (!this.vectors || !this.embedder) return null;
    try {
      const query = await this.embedder.embedQuery(question);
      return this.vectors.search(query, CANDIDATES, (p) => language(p.locale) === lang);
    } catch (error) {
      // The embedding service being down costs recall, not the answer: lexical retrieval still works.
      this.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: question embedding failed; lexical only');
      return null;
    }
  }
}

function fromLexical(hit: LexicalHit): RetrievedHit {
  return { articleId: hit.articleId, title: hit.passage.title, score: round4(hit.score), passage: hit.passage };
}

/** Reciprocal rank fusion; the confidence is that of whichever retriever ranked the fused winner first. */
export function fuse(lexical: readonly LexicalHit[], lexicalConfidence: number, vector: readonly VectorHit[], limit: number): Retrieval {
  const fused = new Map<string, { score: number; passage: Passage }>();
  const add = (articleId: string, rank: number, passage: Passage) => {
    const entry = fused.get(articleId);
    if (entry) entry.score += 1 / (RRF_K + rank + 1);
    else fused.set(articleId, { score: 1 / (RRF_K + rank + 1), passage });
  };
  lexical.forEach((hit, rank) => add(hit.articleId, rank, hit.passage));
  vector.forEach((hit, rank) => add(hit.articleId, rank, hit.passage));
  const ranked = [...fused].sort((a, b) => b[1].score - a[1].score);
  const top = ranked[0]?.[0];
  const lexicalSays = lexical[0]?.articleId === top ? lexicalConfidence : 0;
  const vectorSays = vector[0]?.articleId === top ? vectorConfidence(vector) : 0;
  return {
    hits: ranked.slice(0, limit).map(([articleId, { score, passage }]) => ({ articleId, title: passage.title, score: round4(score * 1000), passage })),
    confidence: Math.max(lexicalSays, vectorSays),
  };
}

export function vectorConfidence(hits: readonly VectorHit[]): number {
  const [first, second] = hits;
  if (!first) return 0;
  const margin = second ? first.similarity - second.similarity : first.similarity;
  const v = VECTOR_CONFIDENCE;
  return round3(sigmoid(v.slope * (first.similarity - v.center) + v.margin * margin));
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
