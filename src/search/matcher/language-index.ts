/**
 * The documents of one language, indexed three ways: each short field as a TF-IDF vector of word stems and of
 * character n-grams (nearest neighbour, top-k mean and centroid), and each whole document for BM25. A question is
 * scored in two stages: in a base larger than COMPARE_ALL, BM25 over the word stems' postings picks the CANDIDATES
 * best documents without visiting most of the ones a common word reaches (Bm25.top), and only those are compared
 * field by field, word and gram; in a smaller base every document is.
 */
import { Bm25, type Bm25Snapshot } from './bm25.ts';
import { Bm25Builder } from './bm25-builder.ts';
import { GrowableInt32 } from './growable.ts';
import { RowVectorsBuilder } from './row-vectors-builder.ts';
import { TokenIds } from './token-ids.ts';
import type { TopDocs } from './top-heap.ts';
import { Speller, type SpellerSnapshot } from './fuzzy.ts';
import { StringTable, type StringTableData } from './string-table.ts';
import type { MatcherOptions } from './options.ts';
import { analyzerFor, charGrams, eachCharGram, eachToken, tokenize, type Analyzer } from './text.ts';
import type { DocList } from './types.ts';
import { RowVectors, type QueryVector, type RowVectorsSnapshot } from './row-vectors.ts';
import { joinSeparableVerbs } from './separable-verbs.ts';
import { hasCommonWords, isCommonWord } from './common-words.ts';

/** Per document, in this order: nearest field, mean of the top-k fields, centroid, BM25, query coverage. */
export const FEATURES = ['nearest', 'topMean', 'centroid', 'bm25', 'coverage'] as const;
export type Features = [number, number, number, number, number];

export interface LanguageIndexSnapshot {
  ids: StringTableData;
  unitStart: Int32Array;
  words: RowVectorsSnapshot;
  chars: RowVectorsSnapshot | null;
  wordCentroidNorm: Float64Array;
  charCentroidNorm: Float64Array | null;
  bm25: Bm25Snapshot;
  speller: SpellerSnapshot;
}

/**
 * A base of up to this many documents has every one compared field by field (word and character n-gram vectors):
 * above every evaluation set's size, so their figures are those of comparing everything.
 */
export const COMPARE_ALL = 1_000;

/**
 * In a larger base, the documents compared field by field: the best this many by BM25 (every query word scored).
 * StackFAQ's threads hidden among 100,000 passages keep the same hit@1 with 250 as with 1,000 (bench/kb-query.ts),
 * and comparing n-grams costs about 1 ms per 250 documents at that size.
 */
export const CANDIDATES = 250;

export class LanguageIndex {
  private readonly analyzer: Analyzer;
  private readonly words: RowVectors;
  private readonly chars: RowVectors | null;
  /** Each document's fields are units unitStart[d] .. unitStart[d + 1] - 1. */
  private readonly unitStart: Int32Array;
  private readonly wordCentroidNorm: Float64Array;
  private readonly charCentroidNorm: Float64Array | null;
  private readonly bm25: Bm25;
  private readonly speller: Speller;
  /** The documents' ids, by index (nothing after the build reads their text). */
  private readonly ids: StringTable;
  /** The documents of the index this one is layered over: a layer over a large base picks candidates as the base does. */
  private readonly outerSize: number;

  /** `outer`: the index of the same language this one is layered over (layered.ts), whose statistics it weighs with. */
  constructor(
    docs: DocList,
    locale: string,
    private readonly options: MatcherOptions,
    outer: LanguageIndex | null = null,
  ) {
    this.outerSize = outer?.size ?? 0;
    this.analyzer = analyzerFor(locale);
    const unitKinds = new Set(options.unitKinds);
    // Built one field at a time, on word ids: nothing of a document is kept once its terms are counted.
    const dictionary = new TokenIds(this.analyzer);
    const words = new RowVectorsBuilder((stem, term) => term(dictionary.stems[stem]!, 0, dictionary.stems[stem]!.length), outer?.words ?? null);
    const grams = options.charGrams;
    const chars = grams ? new RowVectorsBuilder((token, term) => eachCharGram(dictionary.tokens[token]!, grams.min, grams.max, term), outer?.chars ?? null) : null;
    const bm25 = new Bm25Builder();
    this.unitStart = new Int32Array(docs.length + 1);
    // Per token id: how many documents have it (for the speller), and the last one that did.
    const docCount = new GrowableInt32(1024);
    const lastDoc = new GrowableInt32(1024);
    // The field's tokens and the stems of those that are not function words, by id.
    const tokenIds = new GrowableInt32(64);
    const stemIds = new GrowableInt32(64);
    let d = 0;
    const ids: string[] = new Array<string>(docs.length);
    const count = (normal: string, from: number, to: number) => {
      const id = dictionary.id(normal, from, to);
      tokenIds.push(id);
      if (lastDoc.get(id, -1) !== d) lastDoc.set(id, d, -1), docCount.set(id, docCount.get(id, 0) + 1);
      const stem = dictionary.stemOf(id);
      if (stem >= 0) stemIds.push(stem);
    };
    for (; d < docs.length; d++) {
      this.unitStart[d] = words.rows;
      const doc = docs.at(d)!;
      ids[d] = doc.id;
      for (const field of doc.fields) {
        tokenIds.length = stemIds.length = 0;
        eachToken(field.text, count);
        const weight = options.fieldWeights[field.kind];
        for (let i = 0; i < stemIds.length; i++) bm25.add(stemIds.at(i), weight);
        if (!unitKinds.has(field.kind) || tokenIds.length === 0) continue;
        words.add(stemIds);
        chars?.add(tokenIds);
      }
      bm25.endDocument();
    }
    this.unitStart[docs.length] = words.rows;
    this.ids = StringTable.from(ids);
    this.words = words.finish();
    this.wordCentroidNorm = this.words.groupNorms(this.unitStart);
    this.chars = chars ? chars.finish() : null;
    this.charCentroidNorm = this.chars ? this.chars.groupNorms(this.unitStart) : null;
    this.bm25 = new Bm25(bm25.finish(options.bm25, (stem) => dictionary.stems[stem]!, outer ? outer.bm25.averageLength : null), outer?.bm25 ?? null);
    this.speller = Speller.of(dictionary.tokens, (id) => docCount.at(id), outer?.speller ?? null);
  }

  /** What the index holds, as plain data (see matcher-cache.ts). */
  snapshot(): LanguageIndexSnapshot {
    return {
      ids: this.ids.data(),
      unitStart: this.unitStart,
      words: this.words.snapshot(),
      chars: this.chars?.snapshot() ?? null,
      wordCentroidNorm: this.wordCentroidNorm,
      charCentroidNorm: this.charCentroidNorm,
      bm25: this.bm25.snapshot(),
      speller: this.speller.snapshot(),
    };
  }

  /** The index a snapshot was taken of. */
  static restore(s: LanguageIndexSnapshot, lang: string, options: MatcherOptions): LanguageIndex {
    return Object.assign(Object.create(LanguageIndex.prototype) as LanguageIndex, {
      ids: StringTable.restore(s.ids),
      outerSize: 0,
      options,
      analyzer: analyzerFor(lang),
      unitStart: s.unitStart,
      words: RowVectors.restore(s.words),
      chars: s.chars ? RowVectors.restore(s.chars) : null,
      wordCentroidNorm: s.wordCentroidNorm,
      charCentroidNorm: s.charCentroidNorm,
      bm25: new Bm25(s.bm25),
      speller: new Speller(s.speller),
    });
  }

  get size(): number {
    return this.ids.size;
  }

  docId(doc: number): string {
    return this.ids.at(doc);
  }

  /** Stems of the words that are not function words. */
  private stems(tokens: readonly string[]): string[] {
    const out: string[] = [];
    for (const token of tokens) if (!this.analyzer.isStop(token)) out.push(this.analyzer.stem(token));
    return out;
  }

  /** The query's words with typos corrected (when the options say so) to words this index knows, German separable verbs joined. */
  tokens(query: string): string[] {
    const raw = (this.analyzer.language === 'de' ? joinSeparableVerbs(query, (word) => this.knowsStemOf(word)) : null) ?? tokenize(query);
    if (!this.options.typos) return raw;
    // A word whose stem the documents use ("shipped" beside their "shipping", a joined verb) is not a typo, whatever its
    // ending: corrected, it became the closest written form ("skipped"). Nor is a common word of the language that they
    // never use ("jack" is not "back"). Without a list of the language's words, a correction keeps the first letter: a
    // typo rarely hits it, and a word that differs there is most often another word ("mieten" is not "bieten").
    const lang = this.analyzer.language;
    const sameInitial = !hasCommonWords(lang);
    return raw.flatMap((t) => (this.knowsStemOf(t) || isCommonWord(lang, t) ? [t] : this.speller.split(t) ?? [this.speller.correct(t, sameInitial) ?? t]));
  }

  private knowsStemOf(token: string): boolean {
    return !this.analyzer.isStop(token) && this.bm25.knows(this.analyzer.stem(token));
  }

  /** How many distinct words (stems) the documents use. */
  get vocabularySize(): number {
    return this.bm25.terms;
  }

  /**
   * The share of the query's words (function words and numbers aside) that no document uses, once typos are corrected
   * and compounds split: what the message asks about that nothing here speaks of ("the capital of France").
   */
  unknownShare(query: string, tokens = this.tokens(query)): number {
    const asked = [...new Set(this.stems(tokens))].filter((stem) => !/^\d+$/.test(stem));
    return asked.length === 0 ? 0 : asked.filter((stem) => !this.bm25.knows(stem)).length / asked.length;
  }

  /**
   * The features of every document the query may match (see COMPARE_ALL and CANDIDATES), by document index.
   * `tokens`: the query's words as corrected by another index (the layer over this one, which knows the words of both).
   */
  features(query: string, tokens = this.tokens(query)): Array<{ doc: number; features: Features }> {
    const o = this.options;
    const raw = tokenize(query);
    const stems = this.stems(tokens);
    const extra: Array<[string, number]> = [];
    if (o.synonyms) {
      const own = new Set(stems);
      for (const token of tokens) {
        if (this.analyzer.isStop(token)) continue;
        for (const [word, weight] of o.synonyms.synonyms(token, this.analyzer.language)) {
          const stem = this.analyzer.stem(word);
          if (!own.has(stem) && this.words.has(stem)) {
            own.add(stem);
            extra.push([stem, weight]);
          }
        }
      }
    }
    const terms: Array<readonly [string, number]> = [...[...new Set(stems)].map((s) => [s, 1] as const), ...extra];
    const { docs: candidates, scores: bm25, coverage } = this.candidates(terms);
    // Each candidate's fields' word and n-gram similarities, in candidate order (unit u of candidate i at unitAt[i] + u).
    const unitAt = new Int32Array(candidates.length + 1);
    for (let i = 0; i < candidates.length; i++) unitAt[i + 1] = unitAt[i]! + this.unitStart[candidates[i]! + 1]! - this.unitStart[candidates[i]!]!;
    const wordScores = this.similarities(this.words, this.words.vector(stems, extra), candidates, unitAt);
    const charScores =
      this.chars && o.charGrams ? this.similarities(this.chars, this.chars.vector(charGrams(raw, o.charGrams.min, o.charGrams.max)), candidates, unitAt) : new Float64Array(unitAt[candidates.length]!);
    const share = this.chars ? o.charShare : 0;
    const out: Array<{ doc: number; features: Features }> = [];
    const top = new Float64Array(o.topK);
    for (let i = 0; i < candidates.length; i++) {
      const d = candidates[i]!;
      let nearest = 0;
      let wordSum = 0;
      let charSum = 0;
      top.fill(0);
      for (let u = unitAt[i]!; u < unitAt[i + 1]!; u++) {
        const s = (1 - share) * wordScores[u]! + share * charScores[u]!;
        wordSum += wordScores[u]!;
        charSum += charScores[u]!;
        if (s > nearest) nearest = s;
        if (s > top[top.length - 1]!) {
          let i = top.length - 1;
          while (i > 0 && top[i - 1]! < s) {
            top[i] = top[i - 1]!;
            i--;
          }
          top[i] = s;
        }
      }
      const count = Math.min(o.topK, this.unitStart[d + 1]! - this.unitStart[d]!);
      let topSum = 0;
      for (let i = 0; i < count; i++) topSum += top[i]!;
      const wordCentroid = this.wordCentroidNorm[d]! > 0 ? wordSum / this.wordCentroidNorm[d]! : 0;
      const charCentroid = this.charCentroidNorm && this.charCentroidNorm[d]! > 0 ? charSum / this.charCentroidNorm[d]! : 0;
      out.push({ doc: d, features: [nearest, count > 0 ? topSum / count : 0, (1 - share) * wordCentroid + share * charCentroid, bm25[i]!, coverage[i]!] });
    }
    return out;
  }

  /**
   * Every document in a base of up to COMPARE_ALL, with its BM25 score and coverage; in a larger one, the CANDIDATES
   * best by BM25 (Bm25.top: every query term scored, most documents skipped). In document order.
   */
  private candidates(terms: ReadonlyArray<readonly [string, number]>): TopDocs {
    const docs = this.size;
    if (docs + this.outerSize > COMPARE_ALL) return this.bm25.top(terms, CANDIDATES);
    const scores = new Float64Array(docs);
    const coverage = new Float64Array(docs);
    this.bm25.score(terms, scores, coverage);
    return { docs: Int32Array.from({ length: docs }, (_, d) => d), scores, coverage };
  }

  /** The similarity of each candidate's fields to the query (see `features` for the layout). */
  private similarities(vectors: RowVectors, query: QueryVector, candidates: Int32Array, unitAt: Int32Array): Float64Array {
    const out = new Float64Array(unitAt[candidates.length]!);
    query.use(() => {
      for (let i = 0; i < candidates.length; i++) {
        const first = this.unitStart[candidates[i]!]!;
        for (let u = unitAt[i]!; u < unitAt[i + 1]!; u++) out[u] = vectors.similarity(first + u - unitAt[i]!);
      }
    });
    return out;
  }
}
