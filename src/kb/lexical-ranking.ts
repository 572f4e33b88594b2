/**
 * The former lexical ranking (MiniSearch BM25+ with its own confidence model), kept only to compare with the matcher:
 * `parley route --ranker lexical` and `npm run eval:kb -- --ranker lexical`.
 */
import { lexicalConfidence } from './confidence.ts';
import { DEFAULT_LEXICAL_SETTINGS, LexicalIndex, type LexicalSettings } from './lexical-index.ts';
import type { RankedArticle, Ranking } from './ranking.ts';
import { language } from '../search/text.ts';
import type { Article, Passage } from './types.ts';

/** Articles the lexical index ranks before cutting to the asked number (its confidence needs the second). */
const CANDIDATES = 20;

export class LexicalRanking implements Ranking {
  private constructor(private readonly indexes: ReadonlyMap<string, LexicalIndex>) {}

  static build(articles: readonly Article[], settings: LexicalSettings = DEFAULT_LEXICAL_SETTINGS): LexicalRanking {
    const byLanguage = new Map<string, Passage[]>();
    for (const article of articles) {
      const lang = language(article.locale);
      const list = byLanguage.get(lang) ?? [];
      list.push(...article.passages);
      byLanguage.set(lang, list);
    }
    return new LexicalRanking(new Map([...byLanguage].map(([lang, passages]) => [lang, new LexicalIndex(passages, lang, settings)])));
  }

  get languages(): ReadonlySet<string> {
    return new Set(this.indexes.keys());
  }

  search(question: string, lang: string, limit: number): { hits: RankedArticle[]; confidence: number } {
    const index = this.indexes.get(lang);
    if (!index) return { hits: [], confidence: 0 };
    const { hits, query } = index.search(question, Math.max(limit, CANDIDATES), limit);
    return { hits: hits.slice(0, limit).map(({ articleId, score, passage }) => ({ articleId, score, passage })), confidence: lexicalConfidence(hits, query) };
  }
}
