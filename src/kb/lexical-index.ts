/**
 * Lexical retrieval over passages with MiniSearch (BM25+), one index per language: field boosts for title,
 * heading, example questions, tags and body; Snowball stemming; typo tolerance through fuzzy matching and
 * prefix matching of longer words. Results are ranked per article (its best passage), and each carries how much
 * of the question the article covers, which feeds the confidence.
 */
import MiniSearch, { type SearchResult as MiniResult } from 'minisearch';
import { analyzerFor, tokenize, type Analyzer } from '../search/text.ts';
import type { Passage } from './types.ts';

export interface LexicalSettings {
  /** Per-field score multipliers. */
  boost: { title: number; heading: number; questions: number; tags: number; body: number };
  /** Fuzzy matching: allowed edit distance as a fraction of the (stemmed) word's length; 0 turns it off. */
  fuzzy: number;
  /** Words at least this long (stemmed) also match longer words they start; 0 turns prefix matching off. */
  prefixMinLength: number;
  /** Score weight of fuzzy and prefix matches relative to exact ones. */
  weights: { fuzzy: number; prefix: number };
  /** BM25+ parameters. */
  bm25: { k: number; b: number; d: number };
  /** Credit a query word matched only fuzzily or by prefix earns in the coverage. */
  inexactCredit: number;
}

/** Chosen on the StackFAQ dev half (bench/kb-tune.ts), never on its test half. */
export const DEFAULT_LEXICAL_SETTINGS: LexicalSettings = {
  boost: { title: 4, heading: 2, questions: 6, tags: 1.5, body: 1 },
  fuzzy: 0.2,
  prefixMinLength: 5,
  weights: { fuzzy: 0.3, prefix: 0.3 },
  bm25: { k: 2.2, b: 0.9, d: 0.5 },
  inexactCredit: 0.6,
};

export interface LexicalHit {
  articleId: string;
  /** BM25+ score of the article's best passage; comparable within one query only. */
  score: number;
  passage: Passage;
  /** 0..1: IDF-weighted share of the question's words found in the passage (any field). */
  coverage: number;
  /** 0..1: the same, counting only matches in the title, heading and example questions. */
  intentCoverage: number;
}

/** What a question looks like to one index, whatever it matched. */
export interface QueryStats {
  /** Distinct index terms (stop words dropped). */
  terms: number;
  /** Sum of the terms' IDF, in units of the highest possible IDF: ~1 per rare word, less for common ones. */
  specificity: number;
  /** 0..1: IDF-weighted share of the terms that no passage matched, even fuzzily: words the base doesn't know. */
  unknown: number;
}

interface Doc {
  id: number;
  title: string;
  heading: string;
  questions: string;
  tags: string;
  body: string;
}

function countArticles(results: readonly MiniResult[], passages: readonly Passage[], enough: number): number {
  const seen = new Set<string>();
  for (const r of results) {
    seen.add(passages[r.id as number]!.articleId);
    if (seen.size >= enough) break;
  }
  return seen.size;
}

function withoutCommon(term: string | null, common: ReadonlySet<string>): string | null {
  return term && !common.has(term) ? term : null;
}

/**
 * Words in more than this share of the articles are "common" (see `search`). 0.7 costs nothing measurable on the
 * StackFAQ dev half; large bases (over LARGE_BASE passages) use 0.3, trading 4–8 points of dev hit@1 for
 * queries 5–10 times faster (bench/kb-query.ts).
 */
const COMMON_SHARE = 0.7;
const COMMON_SHARE_LARGE = 0.3;
const LARGE_BASE = 20_000;

/** Shorter words that match nothing are left out of coverage and specificity. */
const MIN_UNKNOWN_LENGTH = 4;

const FIELDS = ['title', 'heading', 'questions', 'tags', 'body'] as const;

export class LexicalIndex {
  readonly passages: readonly Passage[];
  private readonly search_: MiniSearch<Doc>;
  private readonly analyzer: Analyzer;
  private readonly settings: LexicalSettings;
  /** Per term, in how many articles it occurs (for the coverage's IDF weights). */
  private readonly articleFrequency = new Map<string, number>();
  readonly articleCount: number;
  private readonly commonShare: number;

  constructor(passages: readonly Passage[], locale: string, settings: LexicalSettings = DEFAULT_LEXICAL_SETTINGS) {
    this.passages = passages;
    this.settings = settings;
    this.analyzer = analyzerFor(locale);
    const analyzer = this.analyzer;
    this.search_ = new MiniSearch<Doc>({
      fields: [...FIELDS],
      tokenize,
      processTerm: (term) => analyzer.term(term),
    });
    this.search_.addAll(
      passages.map((p, id) => ({
        id,
        title: p.title,
        heading: p.heading ?? '',
        questions: p.questions.join('\n'),
        tags: p.tags.join(' '),
        body: p.text,
      })),
    );
    const termsByArticle = new Map<string, Set<string>>();
    for (const p of passages) {
      let terms = termsByArticle.get(p.articleId);
      if (!terms) termsByArticle.set(p.articleId, (terms = new Set()));
      for (const text of [p.title, p.heading ?? '', p.questions.join('\n'), p.tags.join(' '), p.text]) {
        for (const t of analyzer.terms(text)) terms.add(t);
      }
    }
    for (const terms of termsByArticle.values()) for (const t of terms) this.articleFrequency.set(t, (this.articleFrequency.get(t) ?? 0) + 1);
    this.articleCount = termsByArticle.size;
    this.commonShare = passages.length > LARGE_BASE ? COMMON_SHARE_LARGE : COMMON_SHARE;
  }

  /** The question's index terms (stop words dropped, stemmed). */
  terms(question: string): string[] {
    return [...new Set(this.analyzer.terms(question))];
  }

  /**
   * Articles best first, at most `limit`, each with its best passage; and what the question itself looks like.
   * When fewer than `wanted` articles match, every word is matched loosely (typos, prefixes) to fill the list.
   */
  search(question: string, limit: number, wanted = limit): { hits: LexicalHit[]; query: QueryStats } {
    const s = this.settings;
    const all = this.terms(question);
    // Words in a large share of the articles barely move BM25 but cost the most to score: when the question has
    // rarer words, the common ones are left out of the search (and of the coverage), as Lucene's common-terms
    // query does. A question of common words only is searched as it is.
    const common = new Set(all.filter((t) => (this.articleFrequency.get(t) ?? 0) > this.commonShare * this.articleCount));
    const dropCommon = common.size > 0 && common.size < all.length;
    const analyzer = this.analyzer;
    const run = (loose: boolean) =>
      this.search_.search(question, {
        ...(dropCommon ? { processTerm: (token: string) => withoutCommon(analyzer.term(token), common) } : {}),
        // Words the base does not contain are matched loosely: a typo, or a form the stemmer missed. A known word
        // matches itself, which is more precise and keeps a query on 100k passages in milliseconds.
        fuzzy: s.fuzzy > 0 ? (term) => (term.length >= 4 && (loose || !this.articleFrequency.has(term)) ? s.fuzzy : false) : false,
        prefix: s.prefixMinLength > 0 ? (term) => term.length >= s.prefixMinLength && (loose || !this.articleFrequency.has(term)) : false,
        boost: s.boost,
        weights: s.weights,
        bm25: s.bm25,
        maxFuzzy: 2,
      });
    let results = run(false);
    // Fewer articles than asked for: widen to loose matching of every word, so the list is as long as it can be.
    if (countArticles(results, this.passages, wanted) < wanted && (s.fuzzy > 0 || s.prefixMinLength > 0)) results = run(true);
    const best = new Map<string, MiniResult>();
    const order: string[] = [];
    const matchedAnywhere = new Set<string>();
    for (const result of results) {
      for (const term of result.queryTerms) matchedAnywhere.add(term);
      const passage = this.passages[result.id as number]!;
      if (best.has(passage.articleId) || order.length >= limit) continue; // sorted: the first is the article's best
      best.set(passage.articleId, result);
      order.push(passage.articleId);
    }
    // A short word no article contains is most likely a typo of a function word ("wat", "teh") or noise: ignored.
    const terms = all.filter((t) => !(dropCommon && common.has(t)) && (t.length >= MIN_UNKNOWN_LENGTH || matchedAnywhere.has(t)));
    const totalIdf = terms.reduce((sum, term) => sum + this.idf(term), 0);
    const unknownIdf = terms.filter((t) => !matchedAnywhere.has(t)).reduce((sum, term) => sum + this.idf(term), 0);
    const query: QueryStats = {
      terms: terms.length,
      specificity: totalIdf / this.maxIdf(),
      unknown: totalIdf > 0 ? unknownIdf / totalIdf : 1,
    };
    const hits = order.map((articleId) => {
      const result = best.get(articleId)!;
      const { coverage, intentCoverage } = this.coverage(terms, totalIdf, result);
      return { articleId, score: result.score, passage: this.passages[result.id as number]!, coverage, intentCoverage };
    });
    return { hits, query };
  }

  /**
   * IDF-weighted share of the query terms the result matched: exact matches count fully, fuzzy or prefix ones
   * (typos, other word forms) by `inexactCredit`.
   */
  private coverage(terms: readonly string[], totalIdf: number, result: MiniResult): { coverage: number; intentCoverage: number } {
    if (totalIdf <= 0) return { coverage: 0, intentCoverage: 0 };
    const isIntent = (fields: readonly string[]) => fields.some((field) => field !== 'body' && field !== 'tags');
    const queryTerms = new Set(terms);
    // Document terms reached only through fuzzy or prefix matching, and whether one sits in an intent field.
    const inexactIntent = Object.entries(result.match).some(([term, fields]) => !queryTerms.has(term) && isIntent(fields));
    const matched = new Set(result.queryTerms);
    let covered = 0;
    let intent = 0;
    for (const term of terms) {
      const weight = this.idf(term);
      const fields = Object.hasOwn(result.match, term) ? result.match[term]! : null;
      if (fields) {
        covered += weight;
        if (isIntent(fields)) intent += weight;
      } else if (matched.has(term)) {
        covered += weight * this.settings.inexactCredit;
        if (inexactIntent) intent += weight * this.settings.inexactCredit;
      }
    }
    return { coverage: covered / totalIdf, intentCoverage: intent / totalIdf };
  }

  private maxIdf(): number {
    return Math.log(1 + (this.articleCount + 0.5) / 0.5);
  }

  /** Inverse article frequency of an index term (unknown terms get the highest). */
  idf(term: string): number {
    const df = this.articleFrequency.get(term) ?? 0;
    return Math.log(1 + (this.articleCount - df + 0.5) / (df + 0.5));
  }
}
