/**
 * Ranks articles for a question: with the matcher (matcher-ranking.ts; the lexical ranking only when asked for, to
 * compare); with embeddings, fused with vector similarity by reciprocal rank fusion. Built once from a set of
 * articles and then read-only, so a rebuild makes a new Retriever and swaps it in.
 */
import type { Logger } from '../infra/logger.ts';
import type { IndexedKnowledge } from './kept-knowledge.ts';
import { round3, sigmoid } from './confidence.ts';
import { LexicalRanking } from './lexical-ranking.ts';
import type { LexicalSettings } from './lexical-index.ts';
import { MatcherRanking } from './matcher-ranking.ts';
import type { Embedder } from './openai/embedder.ts';
import type { VectorHit, VectorIndex } from './openai/vector-index.ts';
import type { RankedArticle, Ranking } from './ranking.ts';
import { language } from '../search/text.ts';
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
/** Candidates each ranking contributes before fusion. */
const CANDIDATES = 20;

/**
 * Confidence from vector similarity alone: a prior, not fitted (no embedding model was reachable when this was
 * written). With text-embedding-3-small a passage that answers a question usually scores 0.5 or more.
 */
export const VECTOR_CONFIDENCE = { center: 0.45, slope: 15, margin: 10 } as const;

export class Retriever {
  private constructor(
    readonly articles: readonly Article[],
    private readonly ranking: Ranking,
    private readonly defaultLanguage: string,
    private readonly vectors: VectorIndex | null,
    private readonly embedder: Embedder | null,
    private readonly logger?: Logger,
  ) {}

  static build(
    articles: readonly Article[],
    options: {
      defaultLocale: string;
      /** `lexical`: the former MiniSearch ranking with its own confidence, kept for comparisons only. Default: the matcher. */
      ranker?: 'matcher' | 'lexical';
      /** The lexical ranking's settings (with `ranker: 'lexical'`). */
      settings?: LexicalSettings;
      vectors?: VectorIndex | null;
      embedder?: Embedder | null;
      /** Where the matcher's index is kept between runs (see matcher-cache.ts). */
      indexDir?: string;
      /** A hash of everything `articles` were made from (kept-knowledge.ts): the kept index is found by it, without hashing every passage. */
      sourceKey?: string;
      /** An earlier state of the articles whose index may be kept: loaded with the changes layered over it (MatcherRanking.build). */
      base?: IndexedKnowledge | null;
      logger?: Logger;
    },
  ): Retriever {
    const ranking = options.ranker === 'lexical' ? LexicalRanking.build(articles, options.settings) : MatcherRanking.build(articles, options.indexDir, options.sourceKey, options.base);
    const vectors = options.vectors ?? null;
    return new Retriever(articles, ranking, language(options.defaultLocale), vectors, vectors ? (options.embedder ?? null) : null, options.logger);
  }

  /**
   * `articles` ranked as a layer over this retriever's index (MatcherRanking.layered): what the studio's preview answers
   * an editor's drafts with. `vectors`: the embeddings of `articles`, when this one has embeddings.
   */
  layered(articles: readonly Article[], vectors: VectorIndex | null): Retriever {
    const ranking = this.ranking instanceof MatcherRanking ? this.ranking.layered(articles) : LexicalRanking.build(articles);
    return new Retriever(articles, ranking, this.defaultLanguage, vectors, vectors ? this.embedder : null, this.logger);
  }

  /**
   * The retriever of `articles` (the whole base as it is now) when only the articles whose ids are in `changed` differ
   * from this one's: their passages are indexed anew, the rest of the index is kept (MatcherRanking.update). Null
   * when a rebuild is needed instead (the lexical ranking, the base's languages changed, or many changes).
   */
  update(articles: readonly Article[], changed: ReadonlySet<string>, options: { vectors?: VectorIndex | null; embedder?: Embedder | null } = {}): Retriever | null {
    const ranking = this.ranking instanceof MatcherRanking ? this.ranking.update(articles, changed) : null;
    if (!ranking) return null;
    const vectors = options.vectors ?? null;
    return new Retriever(articles, ranking, this.defaultLanguage, vectors, vectors ? (options.embedder ?? null) : null, this.logger);
  }

  get indexLoaded(): boolean {
    return this.ranking.loaded ?? false;
  }

  get indexUpdated(): boolean {
    return this.ranking.updated ?? false;
  }

  get embedded(): number {
    return this.vectors?.size ?? 0;
  }

  /** The language whose articles answer: the asked one when the base has it, else the default. */
  languageFor(locale?: string): string {
    const asked = locale ? language(locale) : this.defaultLanguage;
    const languages = this.ranking.languages;
    if (languages.has(asked)) return asked;
    if (languages.has(this.defaultLanguage)) return this.defaultLanguage;
    return languages.values().next().value ?? this.defaultLanguage;
  }

  async search(question: string, options: { locale?: string; limit?: number } = {}): Promise<Retrieval> {
    const limit = options.limit ?? 5;
    const lang = this.languageFor(options.locale);
    if (!this.ranking.languages.has(lang)) return { hits: [], confidence: 0 };
    const vector = await this.vectorSearch(question, lang);
    const ranked = this.ranking.search(question, lang, vector ? Math.max(limit, CANDIDATES) : limit);
    const retrieval = vector ? fuse(ranked.hits, ranked.confidence, vector, limit) : { hits: ranked.hits.map(fromRanked), confidence: ranked.confidence };
    return { ...retrieval, hits: this.related(retrieval.hits, limit, lang) };
  }

  /**
   * When fewer articles than asked for match the question, the list goes on with articles related to the first
   * one (most tags in common), with score 0: an editor or agent still sees where to look. Nothing matched: empty.
   */
  private related(hits: RetrievedHit[], limit: number, lang: string): RetrievedHit[] {
    const first = hits[0];
    if (!first || hits.length >= limit) return hits;
    const { byId, byTag, inOrder, position } = this.relatedIndex();
    const tags = byId.get(first.articleId)?.tags ?? [];
    const taken = new Set(hits.map((h) => h.articleId));
    const wanted = (a: Article) => !taken.has(a.id) && language(a.locale) === lang && a.passages.length > 0;
    // Articles sharing a tag, most tags first; then the rest in id order, as sorting them all would give.
    const shared = new Map<Article, number>();
    for (const tag of new Set(tags)) for (const a of byTag.get(tag) ?? []) if (wanted(a)) shared.set(a, (shared.get(a) ?? 0) + 1);
    const more = [...shared.keys()].sort((a, b) => shared.get(b)! - shared.get(a)! || byOrder(a, b) || position.get(a)! - position.get(b)!).slice(0, limit - hits.length);
    for (let i = 0; i < inOrder.length && more.length < limit - hits.length; i++) if (!shared.has(inOrder[i]!) && wanted(inOrder[i]!)) more.push(inOrder[i]!);
    return [...hits, ...more.map((a) => ({ articleId: a.id, title: a.title, score: 0, passage: a.passages[0]! }))];
  }

  /** The articles by id, by tag, in id order and their places, made the first time `related` needs them (sorting 100,000 costs ~0.1 s). */
  private relatedIndex(): RelatedIndex {
    if (this.related_) return this.related_;
    const byId = new Map<string, Article>();
    const byTag = new Map<string, Article[]>();
    const position = new Map<Article, number>();
    this.articles.forEach((a, i) => {
      position.set(a, i);
      if (!byId.has(a.id)) byId.set(a.id, a);
      for (const tag of a.tags) {
        const tagged = byTag.get(tag);
        if (tagged) tagged.push(a);
        else byTag.set(tag, [a]);
      }
    });
    return (this.related_ = { byId, byTag, inOrder: [...this.articles].sort(byOrder), position });
  }

  private related_: RelatedIndex | null = null;

  private async vectorSearch(question: string, lang: string): Promise<VectorHit[] | null> {
    const query = await this.embedQuestion(question);
    return query && this.vectors ? this.vectors.search(query, CANDIDATES, lang) : null;
  }

  /** Articles closest in meaning in every language (a German question, an article written in English only). */
  async similar(question: string, limit = 5): Promise<{ hits: VectorHit[]; confidence: number } | null> {
    const query = await this.embedQuestion(question);
    if (!query || !this.vectors) return null;
    const hits = this.vectors.search(query, limit);
    return { hits, confidence: vectorConfidence(hits) };
  }

  private async embedQuestion(question: string): Promise<Float32Array | null> {
    if (!this.vectors || !this.embedder) return null;
    try {
      return await this.embedder.embedQuery(question);
    } catch (error) {
      // The embedding service being down costs recall, not the answer: the offline ranking still works.
      this.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: question embedding failed; offline ranking only');
      return null;
    }
  }
}

interface RelatedIndex {
  byId: Map<string, Article>;
  byTag: Map<string, Article[]>;
  inOrder: readonly Article[];
  position: Map<Article, number>;
}

const collator = new Intl.Collator();
/** By id as localeCompare orders them; of equal ids (one article's locales), in the order given. */
function byOrder(a: Article, b: Article): number {
  return collator.compare(a.id, b.id);
}

function fromRanked(hit: RankedArticle): RetrievedHit {
  return { articleId: hit.articleId, title: hit.passage.title, score: round4(hit.score), passage: hit.passage };
}

/** Reciprocal rank fusion; the confidence is that of whichever ranking put the fused winner first. */
export function fuse(ranked: readonly RankedArticle[], rankedConfidence: number, vector: readonly VectorHit[], limit: number): Retrieval {
  const fused = new Map<string, { score: number; passage: Passage }>();
  const add = (articleId: string, rank: number, passage: Passage) => {
    const entry = fused.get(articleId);
    if (entry) entry.score += 1 / (RRF_K + rank + 1);
    else fused.set(articleId, { score: 1 / (RRF_K + rank + 1), passage });
  };
  ranked.forEach((hit, rank) => add(hit.articleId, rank, hit.passage));
  vector.forEach((hit, rank) => add(hit.articleId, rank, hit.passage));
  const fusedRanked = [...fused].sort((a, b) => b[1].score - a[1].score);
  const top = fusedRanked[0]?.[0];
  const rankingSays = ranked[0]?.articleId === top ? rankedConfidence : 0;
  const vectorSays = vector[0]?.articleId === top ? vectorConfidence(vector) : 0;
  return {
    hits: fusedRanked.slice(0, limit).map(([articleId, { score, passage }]) => ({ articleId, title: passage.title, score: round4(score * 1000), passage })),
    confidence: Math.max(rankingSays, vectorSays),
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
