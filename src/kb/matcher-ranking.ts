/**
 * The knowledge base's ranking: the matcher (src/search/matcher) over one document per passage, each article ranked
 * by its best passage, with the matcher's calibrated confidence that the first article is the one that answers — the
 * confidence the understanding step decides with, so one threshold (UNDERSTANDING_MIN_CONFIDENCE) means the same
 * for both. An article missing in one of the base's languages is ranked in that language too, as written: its
 * product names and any example questions an editor adds in that language still find it.
 * The matcher decides the article; the passage answered from is chosen within it as for a decision the understanding
 * step took (answer-sentences.ts), since every passage of an article shares its title and example questions.
 */
import { buildCached, LayeredMatcher, Matcher, MAX_LAYERED_SHARE, matcherConfidence, type MatchDoc, type Ranker } from '../search/matcher/index.ts';
import { bestPassage } from './answer-sentences.ts';
import { passageFields } from './passage-fields.ts';
import type { RankedArticle, Ranking } from './ranking.ts';
import { language } from '../search/text.ts';
import type { Article, Passage } from './types.ts';

/** Per passage object and language: the same document each time, so a layer over an index compares it once (layered.ts). */
const passageDocs = new WeakMap<Passage, Map<string, MatchDoc>>();

function passageDoc(passage: Passage, lang: string): MatchDoc {
  let byLang = passageDocs.get(passage);
  if (!byLang) passageDocs.set(passage, (byLang = new Map()));
  let doc = byLang.get(lang);
  if (!doc) byLang.set(lang, (doc = { id: `${passage.id}\u0000${lang}`, locale: lang, fields: passageFields(passage) }));
  return doc;
}

export class MatcherRanking implements Ranking {
  private constructor(
    private readonly matcher: Ranker,
    private readonly passages: ReadonlyMap<string, Passage>,
    private readonly articles: ReadonlyMap<string, readonly Passage[]>,
    readonly languages: ReadonlySet<string>,
    /** The documents the matcher was built from, and the matcher (a layer is built over these: `layered`). */
    private readonly built: { docs: () => readonly MatchDoc[]; matcher: Matcher; articles: ReadonlyMap<string, readonly Passage[]> },
    readonly loaded = false,
    /** The articles (ids) changed since the matcher was built, re-indexed in a layer over it (`update`). */
    private readonly changed: ReadonlySet<string> = new Set(),
  ) {}

  /** Whether some articles were indexed anew since it was built or loaded, without a rebuild. */
  get updated(): boolean {
    return this.changed.size > 0;
  }

  /**
   * `indexDir`: where the index is kept between runs (an unchanged base is loaded, not built); absent: built each time.
   * `sourceKey`: a hash of what the articles were made from, to find the kept index by instead of hashing its documents.
   */
  static build(articles: readonly Article[], indexDir?: string, sourceKey?: string): MatcherRanking {
    const { docs, placed, passages, byArticle, languages } = MatcherRanking.documents(articles);
    // The kept index's key is hashed from documents made one at a time and let go (kept ones would cost the heap).
    function* passing(): Iterable<MatchDoc> {
      for (const [passage, lang] of placed) yield { id: `${passage.id}\u0000${lang}`, locale: lang, fields: passageFields(passage) };
    }
    const { matcher, loaded } = indexDir ? buildCached(passing, indexDir, {}, sourceKey) : { matcher: Matcher.build(docs()), loaded: false };
    return new MatcherRanking(matcher, passages, byArticle, languages, { docs, matcher, articles: byArticle }, loaded);
  }

  /**
   * The ranking of `articles` as a layer over this one's index: only the passages that differ from those it was built
   * from are indexed (src/search/matcher/layered.ts). The studio's preview ranks an editor's drafts this way.
   */
  layered(articles: readonly Article[]): MatcherRanking {
    const { docs, passages, byArticle, languages } = MatcherRanking.documents(articles);
    return new MatcherRanking(LayeredMatcher.over(this.built.matcher, this.built.docs(), docs()), passages, byArticle, languages, this.built, this.loaded);
  }

  /**
   * The ranking of `articles` (the whole base as it is now) when only the articles whose ids are in `changed` differ
   * from this one's: their passages, and those of every article changed since the index was built, are indexed in a
   * layer over it (LayeredMatcher.withChanges); nothing else is compared or indexed. Null when that is not the cheaper
   * way: the base's languages changed, or more than MAX_LAYERED_SHARE of its passages did.
   */
  update(articles: readonly Article[], changed: ReadonlySet<string>): MatcherRanking | null {
    const all = new Set([...this.changed, ...changed]);
    const now = MatcherRanking.documents(articles);
    if (now.languages.size !== this.languages.size || [...now.languages].some((lang) => !this.languages.has(lang))) return null;
    const hidden = new Set<string>();
    // Every version of a changed article in the index it is layered over is hidden, as of when it was built.
    for (const byArticle of [this.built.articles, now.byArticle]) {
      for (const id of all) for (const lang of now.languages) for (const passage of byArticle.get(`${id}\u0000${lang}`) ?? []) hidden.add(`${passage.id}\u0000${lang}`);
    }
    if (hidden.size > MAX_LAYERED_SHARE * now.passages.size) return null;
    const docs = now.placed.filter(([passage]) => all.has(passage.articleId)).map(([passage, lang]) => passageDoc(passage, lang));
    const ranker = LayeredMatcher.withChanges(this.built.matcher, hidden, docs);
    return new MatcherRanking(ranker, now.passages, now.byArticle, now.languages, this.built, this.loaded, all);
  }

  /**
   * Where each passage is ranked, and its matcher documents, made the first time they are asked for (once per
   * passage: passageDoc): loading an unchanged index never needs them, and at 100,000 passages making them costs more
   * than loading the index.
   */
  private static documents(articles: readonly Article[]) {
    const languages = new Set(articles.map((a) => language(a.locale)));
    const present = languages.size > 1 ? new Set(articles.map((a) => `${a.id}\u0000${language(a.locale)}`)) : new Set<string>();
    const placed: Array<[Passage, string]> = [];
    const passages = new Map<string, Passage>();
    const byArticle = new Map<string, readonly Passage[]>();
    for (const article of articles) {
      const own = language(article.locale);
      const ranksIn = languages.size > 1 ? [own, ...[...languages].filter((lang) => lang !== own && !present.has(`${article.id}\u0000${lang}`))] : [own];
      for (const lang of ranksIn) {
        byArticle.set(`${article.id}\u0000${lang}`, article.passages);
        for (const passage of article.passages) {
          passages.set(`${passage.id}\u0000${lang}`, passage);
          placed.push([passage, lang]);
        }
      }
    }
    let docs: MatchDoc[] | null = null;
    return { docs: () => (docs ??= placed.map(([passage, lang]) => passageDoc(passage, lang))), placed, passages, byArticle, languages };
  }

  search(question: string, lang: string, limit: number): { hits: RankedArticle[]; confidence: number } {
    const hits: RankedArticle[] = [];
    const seen = new Set<string>();
    // Every passage that matched at all, so that an article with many close passages cannot hide the second article.
    for (const { id, score, coverage } of this.matcher.rank(question, { locale: lang, limit: Number.POSITIVE_INFINITY })) {
      // No word in common, only spellings alike ("blorft" and "colour" share "lor"): not a result.
      if (coverage === 0) continue;
      const matched = this.passages.get(id)!;
      if (seen.has(matched.articleId)) continue;
      seen.add(matched.articleId);
      // The passage the matcher put first wins a tie.
      const others = (this.articles.get(`${matched.articleId}\u0000${lang}`) ?? []).filter((p) => p !== matched);
      hits.push({ articleId: matched.articleId, score, passage: others.length > 0 ? (bestPassage([matched, ...others], question) ?? matched) : matched });
      if (hits.length >= limit) break;
    }
    const [first, second] = hits;
    return { hits, confidence: first ? matcherConfidence(first.score, second?.score ?? 0) : 0 };
  }
}
