/**
 * A few changed documents layered over a matcher that is already built, as a search engine's small new segment over
 * its large one: the base's documents that changed or went are left out of its results, and the changed and new
 * ones are indexed apart, weighed with the base's statistics (IDF, average length, the words typos are corrected to),
 * so their scores are what one index of everything would give them, up to the few documents of the layer itself.
 * Building the layer costs the changed documents only: the studio's preview runs an editor's drafts this way over
 * the published release's index instead of indexing the whole knowledge base again for every edit.
 */
import { bestScores, Matcher } from './matcher.ts';
import type { MatchDoc, MatchScore } from './types.ts';

/** What ranks documents for a query: a matcher, or one layered over another. */
export interface Ranker {
  rank(query: string, options: { locale: string; limit?: number }): MatchScore[];
  /** The share of the query's words that no document uses (see LanguageIndex.unknownShare); `tokens`: as `tokens` gave them. */
  unknownShare(query: string, locale: string, tokens?: string[]): number;
  /** The query's words, typos corrected to words the documents know; undefined for a language with no documents. */
  tokens(query: string, locale: string): string[] | undefined;
  /** How many distinct words (stems) the documents of the locale's language use. */
  vocabularySize(locale: string): number;
}

/** Past this share of changed documents a whole new index is built (it is then about as fast, and exact). */
export const MAX_LAYERED_SHARE = 0.3;

/** The base's documents grouped by id, as text to compare (kept per base: computing it costs a pass over all). */
const grouped = new WeakMap<readonly MatchDoc[], Map<string, string>>();
/** Each document as text, per document object: callers that hand the same object for an unchanged document pay once. */
const texts = new WeakMap<MatchDoc, string>();

function textOf(doc: MatchDoc): string {
  let text = texts.get(doc);
  if (text === undefined) texts.set(doc, (text = JSON.stringify(doc)));
  return text;
}

export class LayeredMatcher implements Ranker {
  private constructor(
    private readonly base: Matcher,
    private readonly hidden: ReadonlySet<string>,
    private readonly layer: Matcher,
  ) {}

  /**
   * `docs` ranked by `base` (built from `baseDocs`) with a layer for what differs: the base itself when nothing does,
   * a new matcher when much does. Documents are compared by id: every document of an id that changed is replaced.
   */
  static over(base: Matcher, baseDocs: readonly MatchDoc[], docs: readonly MatchDoc[]): Ranker {
    const before = groupsOf(baseDocs, true);
    const after = groupsOf(docs, false);
    const changed = new Set<string>();
    for (const [id, text] of after) if (before.get(id) !== text) changed.add(id);
    for (const id of before.keys()) if (!after.has(id)) changed.add(id);
    if (changed.size === 0) return base;
    if (changed.size > MAX_LAYERED_SHARE * Math.max(before.size, after.size)) return Matcher.build(docs, base.options);
    const layer = Matcher.build(docs.filter((doc) => changed.has(doc.id)), base.options, base);
    return new LayeredMatcher(base, changed, layer);
  }

  /**
   * `base` with the documents whose ids are in `changed` replaced by `docs` (their versions now; an id with none is
   * removed), when the caller knows what changed (the knowledge base knows which files did): nothing else is compared.
   */
  static withChanges(base: Matcher, changed: ReadonlySet<string>, docs: readonly MatchDoc[]): LayeredMatcher {
    return new LayeredMatcher(base, changed, Matcher.build(docs, base.options, base));
  }

  rank(query: string, options: { locale: string; limit?: number }): MatchScore[] {
    return this.rankNumbered(query, options).map(({ id, score, coverage }) => ({ id, score, coverage }));
  }

  /**
   * As `rank`, each with its document's number in the base's or the layer's documents of its language (`inLayer`),
   * in the order they were given to each (see Matcher.rankNumbered).
   */
  rankNumbered(query: string, options: { locale: string; limit?: number }): Array<MatchScore & { doc: number; inLayer: boolean }> {
    // The layer's speller knows the words of both, so a word only a draft uses is not "corrected" to a base word.
    const tokens = this.layer.tokens(query, options.locale) ?? this.base.tokens(query, options.locale);
    const scored: Array<MatchScore & { doc: number; inLayer: boolean }> = [];
    for (const { id, doc, features } of this.base.features(query, options.locale, tokens)) {
      if (this.hidden.has(id)) continue;
      const { score, coverage } = this.base.matchScore(id, features);
      scored.push({ id, score, coverage, doc, inLayer: false });
    }
    for (const { id, doc, features } of this.layer.features(query, options.locale, tokens)) {
      const { score, coverage } = this.layer.matchScore(id, features);
      scored.push({ id, score, coverage, doc, inLayer: true });
    }
    return bestScores(scored, options.limit);
  }

  vocabularySize(locale: string): number {
    return Math.max(this.layer.vocabularySize(locale), this.base.vocabularySize(locale));
  }

  tokens(query: string, locale: string): string[] | undefined {
    return this.layer.tokens(query, locale) ?? this.base.tokens(query, locale);
  }

  unknownShare(query: string, locale: string, tokens = this.tokens(query, locale)): number {
    // The layer's index is built over the base's, so it knows the words of both (hidden documents' words included).
    return this.layer.vocabularySize(locale) > 0 ? this.layer.unknownShare(query, locale, tokens) : this.base.unknownShare(query, locale, tokens);
  }
}

function groupsOf(docs: readonly MatchDoc[], keep: boolean): Map<string, string> {
  const kept = keep ? grouped.get(docs) : undefined;
  if (kept) return kept;
  const groups = new Map<string, string>();
  for (const doc of docs) {
    const text = textOf(doc);
    const before = groups.get(doc.id);
    groups.set(doc.id, before === undefined ? text : `${before}\n${text}`);
  }
  if (keep) grouped.set(docs, groups);
  return groups;
}
