/**
 * Ranks documents (flows, knowledge passages) for a customer's message on one scale: a linear model over
 * lexical features (see language-index.ts) squashed to 0..1. Built once, then read-only.
 */
import { LanguageIndex, type Features, type LanguageIndexSnapshot } from './language-index.ts';
import { DEFAULT_MATCHER_OPTIONS, type MatcherOptions } from './options.ts';
import { language } from './text.ts';
import type { DocList, MatchDoc, MatchScore } from './types.ts';

export class Matcher {
  private constructor(
    private readonly indexes: ReadonlyMap<string, LanguageIndex>,
    readonly options: MatcherOptions,
  ) {}

  /** `outer`: the matcher this one is a layer over (layered.ts): its documents' statistics weigh this one's terms. */
  static build(docs: readonly MatchDoc[], options: Partial<MatcherOptions> = {}, outer?: Matcher): Matcher {
    const byLanguage = new Map<string, MatchDoc[]>();
    for (const doc of docs) {
      const lang = language(doc.locale);
      const list = byLanguage.get(lang) ?? [];
      list.push(doc);
      byLanguage.set(lang, list);
    }
    return Matcher.byLanguage(byLanguage, options, outer);
  }

  /** As `build`, from the documents of each language (keyed as `language()` names it), each asked for once while its index is built. */
  static byLanguage(docs: ReadonlyMap<string, DocList>, options: Partial<MatcherOptions> = {}, outer?: Matcher): Matcher {
    const settings = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    if (settings.model.length !== 6) throw new Error('matcher: the model needs an intercept and 5 feature weights');
    return new Matcher(new Map([...docs].map(([lang, list]) => [lang, new LanguageIndex(list, lang, settings, outer?.indexes.get(lang) ?? null)])), settings);
  }

  /** Everything the index holds, as plain data (see matcher-cache.ts). Not with custom synonyms. */
  snapshot(): MatcherSnapshot {
    const { synonyms: _code, ...options } = this.options;
    return { options, indexes: [...this.indexes].map(([lang, index]) => [lang, index.snapshot()]) };
  }

  static restore(snapshot: MatcherSnapshot): Matcher {
    const options: MatcherOptions = { ...snapshot.options, synonyms: null };
    return new Matcher(new Map(snapshot.indexes.map(([lang, parts]) => [lang, LanguageIndex.restore(parts, lang, options)])), options);
  }

  /** Documents of the query's language, best first (ties by id), at most `limit` (default 10), score above 0.001. */
  rank(query: string, options: { locale: string; limit?: number }): MatchScore[] {
    return bestScores(this.features(query, options.locale).map(({ id, features }) => this.matchScore(id, features)), options.limit);
  }

  /**
   * As `rank`, each with its document's number among the documents of its language, in the order they were given to
   * `build`: a caller that keeps its own array of them finds each without a lookup by id (at 100,000 passages, a Map
   * by id cost more to make at every start than loading the kept index).
   */
  rankNumbered(query: string, options: { locale: string; limit?: number }): Array<MatchScore & { doc: number }> {
    const scored = this.features(query, options.locale).map(({ id, doc, features }) => {
      // A literal, not a spread of matchScore's: spread objects were promoted to the old generation, ~50 KB a question.
      const { score, coverage } = this.matchScore(id, features);
      return { id, score, coverage, doc };
    });
    return bestScores(scored, options.limit);
  }

  /** How many documents of the locale's language it holds, and the id of the one numbered `doc` (see rankNumbered). */
  documents(locale: string): number {
    return this.indexes.get(language(locale))?.size ?? 0;
  }

  documentId(locale: string, doc: number): string | undefined {
    const index = this.indexes.get(language(locale));
    return index && doc >= 0 && doc < index.size ? index.docId(doc) : undefined;
  }

  /**
   * The raw features of every document the query may match (for tuning and for explaining a decision). `tokens`: the
   * query's words as another matcher corrected them (layered.ts).
   */
  features(query: string, locale: string, tokens?: string[]): Array<{ id: string; doc: number; features: Features }> {
    const index = this.indexes.get(language(locale));
    if (!index) return [];
    return index.features(query, tokens ?? index.tokens(query)).map(({ doc, features }) => ({ id: index.docId(doc), doc, features }));
  }

  /** The query's words, typos corrected to words this matcher's documents of the locale's language know. */
  tokens(query: string, locale: string): string[] | undefined {
    return this.indexes.get(language(locale))?.tokens(query);
  }

  /** How many distinct words (stems) the documents of the locale's language use. */
  vocabularySize(locale: string): number {
    return this.indexes.get(language(locale))?.vocabularySize ?? 0;
  }

  /** See LanguageIndex.unknownShare; 0 for a language with no documents. `tokens`: as another matcher corrected them. */
  unknownShare(query: string, locale: string, tokens?: string[]): number {
    const index = this.indexes.get(language(locale));
    return index ? index.unknownShare(query, tokens ?? index.tokens(query)) : 0;
  }

  matchScore(id: string, features: Features): MatchScore {
    return { id, score: round(this.score(features)), coverage: round(features[4]) };
  }

  score(features: Features): number {
    const m = this.options.model;
    let z = m[0]!;
    for (let i = 0; i < features.length; i++) z += m[i + 1]! * features[i]!;
    // Nothing in common with the query at all is no match, whatever the intercept says.
    if (features.every((f) => f === 0)) return 0;
    return 1 / (1 + Math.exp(-z));
  }
}

/** Best first (ties by id), at most `limit` (default 10), score above 0.001. */
export function bestScores<T extends MatchScore>(scored: T[], limit = 10): T[] {
  return scored
    .filter((s) => s.score >= 0.001)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export interface MatcherSnapshot {
  options: Omit<MatcherOptions, 'synonyms'>;
  indexes: Array<[string, LanguageIndexSnapshot]>;
}
