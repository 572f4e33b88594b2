/**
 * The knowledge base's ranking: the matcher (src/search/matcher) over one document per passage, each article ranked
 * by its best passage, with the matcher's calibrated confidence that the first article is the one that answers — the
 * confidence the understanding step decides with, so one threshold (UNDERSTANDING_MIN_CONFIDENCE) means the same
 * for both. An article missing in one of the base's languages is ranked in that language too, as written: its
 * product names and any example questions an editor adds in that language still find it.
 * The matcher decides the article; the passage answered from is chosen within it as for a decision the understanding
 * step took (answer-sentences.ts), since every passage of an article shares its title and example questions.
 */
import { buildCached, keptBySource, LayeredMatcher, loadBySource, Matcher, MAX_LAYERED_SHARE, matcherConfidence, type DocList, type MatchDoc, type MatchScore, type Ranker } from '../search/matcher/index.ts';
import type { IndexedKnowledge } from './kept-knowledge.ts';
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
  /**
   * Where each document the matcher returns is found by its number (see `search`): the placement's arrays when the
   * matcher is the one built from it, the built placement's and the layer's when it is a layer of changes over that
   * one (`update`); null when documents are looked up by id (a draft's layer: `layered`).
   */
  private readonly numbered: { base: Placement; layer: PerLanguage | null } | null;

  private constructor(
    private readonly matcher: Ranker,
    private readonly placement: Placement,
    /** The placement and matcher it was built from (a layer is built over these: `layered`, `update`). */
    private readonly built: { placement: Placement; matcher: Matcher },
    readonly loaded = false,
    /** The articles (ids) changed since the matcher was built, re-indexed in a layer over it (`update`). */
    private readonly changed: ReadonlySet<string> = new Set(),
    /** With a layer of changes (`update`): its documents' passages and articles, per language in the layer's order. */
    layer: PerLanguage | null = null,
  ) {
    const aligned = built.placement.matches(built.matcher);
    this.numbered =
      matcher === built.matcher && placement === built.placement && aligned ? { base: placement, layer: null } : layer && matcher instanceof LayeredMatcher && aligned ? { base: built.placement, layer } : null;
  }

  get languages(): ReadonlySet<string> {
    return this.placement.languages;
  }

  /** Whether some articles were indexed anew since it was built or loaded, without a rebuild. */
  get updated(): boolean {
    return this.changed.size > 0;
  }

  /**
   * `indexDir`: where the index is kept between runs (an unchanged base is loaded, not built); absent: built each time.
   * `sourceKey`: a hash of what the articles were made from, to find the kept index by instead of hashing its documents.
   */
  static build(articles: readonly Article[], indexDir?: string, sourceKey?: string, base?: IndexedKnowledge | null): MatcherRanking {
    // No index of these articles kept, one of an earlier state of them is: loaded, the changed articles layered over it.
    if (indexDir && sourceKey && base && !keptBySource(indexDir, sourceKey)) {
      const under = loadBySource(indexDir, base.key);
      if (under) {
        const before = new Placement(base.articles());
        const updated = new MatcherRanking(under, before, { placement: before, matcher: under }, true).update(articles, base.changed);
        if (updated) return updated;
      }
    }
    const placement = new Placement(articles);
    // Documents made one at a time and let go, to hash the kept index's key or to build it (kept ones would cost the heap).
    const { matcher, loaded } = indexDir ? buildCached(placement.lists(), indexDir, {}, sourceKey) : { matcher: Matcher.build(placement.docs()), loaded: false };
    return new MatcherRanking(matcher, placement, { placement, matcher }, loaded);
  }

  /**
   * The ranking of `articles` as a layer over this one's index: only the passages that differ from those it was built
   * from are indexed (src/search/matcher/layered.ts). The studio's preview ranks an editor's drafts this way.
   */
  layered(articles: readonly Article[]): MatcherRanking {
    const placement = new Placement(articles);
    return new MatcherRanking(LayeredMatcher.over(this.built.matcher, this.built.placement.docs(), placement.docs()), placement, this.built, this.loaded);
  }

  /**
   * The ranking of `articles` (the whole base as it is now) when only the articles whose ids are in `changed` differ
   * from this one's: their passages, and those of every article changed since the index was built, are indexed in a
   * layer over it (LayeredMatcher.withChanges); nothing else is compared or indexed. Null when that is not the cheaper
   * way: the base's languages changed, or more than MAX_LAYERED_SHARE of its passages did.
   */
  update(articles: readonly Article[], changed: ReadonlySet<string>): MatcherRanking | null {
    const all = new Set([...this.changed, ...changed]);
    const now = new Placement(articles);
    if (now.languages.size !== this.languages.size || [...now.languages].some((lang) => !this.languages.has(lang))) return null;
    const hidden = new Set<string>();
    // Every version of a changed article in the index it is layered over is hidden, as of when it was built.
    for (const placement of [this.built.placement, now]) placement.eachOf(all, (passage, lang) => hidden.add(`${passage.id}\u0000${lang}`));
    if (hidden.size > MAX_LAYERED_SHARE * now.size) return null;
    const docs: MatchDoc[] = [];
    const layer: PerLanguage = new Map();
    now.eachOf(all, (passage, lang, article) => {
      docs.push(passageDoc(passage, lang));
      let at = layer.get(lang);
      if (!at) layer.set(lang, (at = { passages: [], owners: [] }));
      at.passages.push(passage);
      at.owners.push(article);
    });
    const ranker = LayeredMatcher.withChanges(this.built.matcher, hidden, docs);
    return new MatcherRanking(ranker, now, this.built, this.loaded, all, layer);
  }

  search(question: string, lang: string, limit: number): { hits: RankedArticle[]; confidence: number } {
    const hits: RankedArticle[] = [];
    const seen = new Set<string>();
    // Every passage that matched at all, so that an article with many close passages cannot hide the second article.
    const options = { locale: lang, limit: Number.POSITIVE_INFINITY };
    // Each document found by its number in the arrays its matcher was built from, not looked up by its id (Maps of
    // 100,000 ids cost more to make than loading the index).
    const base = this.numbered?.base.inLanguage(lang);
    const layer = this.numbered?.layer?.get(lang);
    const ranked: ReadonlyArray<MatchScore & { doc?: number; inLayer?: boolean }> =
      this.numbered && this.matcher instanceof Matcher
        ? this.matcher.rankNumbered(question, options)
        : this.numbered && this.matcher instanceof LayeredMatcher
          ? this.matcher.rankNumbered(question, options)
          : this.matcher.rank(question, options);
    for (const found of ranked) {
      // No word in common, only spellings alike ("blorft" and "colour" share "lor"): not a result.
      if (found.coverage === 0) continue;
      const doc = found.doc ?? -1;
      const from = doc >= 0 ? (found.inLayer ? layer : base) : undefined;
      const matched = from ? from.passages[doc]! : this.placement.passage(found.id)!;
      if (seen.has(matched.articleId)) continue;
      seen.add(matched.articleId);
      // The passage the matcher put first wins a tie.
      const own = from ? from.owners[doc]!.passages : (this.placement.byArticle().get(`${matched.articleId}\u0000${lang}`) ?? []);
      const others = own.filter((p) => p !== matched);
      hits.push({ articleId: matched.articleId, score: found.score, passage: others.length > 0 ? (bestPassage([matched, ...others], question) ?? matched) : matched });
      if (hits.length >= limit) break;
    }
    const [first, second] = hits;
    return { hits, confidence: first ? matcherConfidence(first.score, second?.score ?? 0) : 0 };
  }
}

/**
 * Where each passage is ranked: in its article's language, and an article missing in another of the base's languages
 * in that one too. Per language, its passages in the order the matcher numbers its documents and each one's article:
 * two arrays, made in a few milliseconds at 100,000 passages. Maps by id and the matcher's documents are made only
 * when asked for (a layer or an update needs them; loading an unchanged index and answering never do).
 */
/** Per language, documents' passages and each one's article, in the order a matcher numbers them. */
type PerLanguage = Map<string, { passages: Passage[]; owners: Article[] }>;

class Placement {
  readonly languages: Set<string>;
  private readonly byLanguage: PerLanguage = new Map();
  readonly size: number;
  private byId: Map<string, Passage> | null = null;
  private articles_: Map<string, readonly Passage[]> | null = null;
  private docs_: MatchDoc[] | null = null;

  constructor(private readonly articles: readonly Article[]) {
    this.languages = new Set(articles.map((a) => language(a.locale)));
    for (const lang of this.languages) this.byLanguage.set(lang, { passages: [], owners: [] });
    let size = 0;
    // A loop, not `placed()`: at 100,000 passages a generator's tuples cost more than the arrays.
    const present = this.present();
    for (const article of articles) {
      for (const lang of this.ranksIn(article, present)) {
        const at = this.byLanguage.get(lang)!;
        for (const passage of article.passages) at.passages.push(passage), at.owners.push(article), size++;
      }
    }
    this.size = size;
  }

  /** Each passage with a language it is ranked in and its article, in the order the matcher's documents are made. */
  *placed(): Iterable<[Passage, string, Article]> {
    const present = this.present();
    for (const article of this.articles) for (const lang of this.ranksIn(article, present)) for (const passage of article.passages) yield [passage, lang, article];
  }

  /** With more than one language: which article is written in which (`id\u0000lang`). */
  private present(): Set<string> | null {
    return this.languages.size > 1 ? new Set(this.articles.map((a) => `${a.id}\u0000${language(a.locale)}`)) : null;
  }

  /** The article's own language, then every other of the base's languages it is missing in. */
  private ranksIn(article: Article, present: Set<string> | null): string[] {
    const own = language(article.locale);
    return present ? [own, ...[...this.languages].filter((lang) => lang !== own && !present.has(`${article.id}\u0000${lang}`))] : [own];
  }

  /** Per language, its documents in the matcher's order, each made when asked for (and not kept). */
  lists(): Map<string, DocList> {
    return new Map(
      [...this.byLanguage].map(([lang, { passages }]) => [
        lang,
        { length: passages.length, at: (i: number) => (i < passages.length ? { id: `${passages[i]!.id}\u0000${lang}`, locale: lang, fields: passageFields(passages[i]!) } : undefined) },
      ]),
    );
  }

  inLanguage(lang: string): { passages: readonly Passage[]; owners: readonly Article[] } {
    return this.byLanguage.get(lang) ?? { passages: [], owners: [] };
  }

  /** Whether `matcher`'s documents of each language are these passages in this order (then `search` finds them by number). */
  matches(matcher: Matcher): boolean {
    for (const [lang, { passages }] of this.byLanguage) {
      if (matcher.documents(lang) !== passages.length) return false;
      for (const doc of [0, passages.length >> 1, passages.length - 1]) if (passages.length > 0 && matcher.documentId(lang, doc) !== `${passages[doc]!.id}\u0000${lang}`) return false;
    }
    return true;
  }

  /** Calls `visit` for each passage, in each language it is ranked in, of the articles whose ids are in `ids` (in the matcher's order per language). */
  eachOf(ids: ReadonlySet<string>, visit: (passage: Passage, lang: string, article: Article) => void): void {
    for (const [lang, { passages, owners }] of this.byLanguage) for (let i = 0; i < passages.length; i++) if (ids.has(owners[i]!.id)) visit(passages[i]!, lang, owners[i]!);
  }

  /** The passage of a matcher document's id. */
  passage(id: string): Passage | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const [lang, { passages }] of this.byLanguage) for (const passage of passages) this.byId.set(`${passage.id}\u0000${lang}`, passage);
    }
    return this.byId.get(id);
  }

  /** Per article id and language it is ranked in (`id\u0000lang`), its passages. */
  byArticle(): ReadonlyMap<string, readonly Passage[]> {
    if (!this.articles_) {
      this.articles_ = new Map();
      for (const [lang, { owners }] of this.byLanguage) for (const article of owners) this.articles_.set(`${article.id}\u0000${lang}`, article.passages);
    }
    return this.articles_;
  }

  /** The matcher's documents (once per passage: passageDoc). */
  docs(): readonly MatchDoc[] {
    if (!this.docs_) {
      this.docs_ = [];
      for (const [passage, lang] of this.placed()) this.docs_.push(passageDoc(passage, lang));
    }
    return this.docs_;
  }
}
