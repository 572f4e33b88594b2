/**
 * The documents of one language, indexed three ways: each short field as a TF-IDF vector of word stems and of
 * character n-grams (nearest neighbour, top-k mean and centroid), and each whole document for BM25. A question is
 * scored in two stages: the word stems reach the documents that share a word with it (an inverted index), and in a
 * base larger than CANDIDATES only the best of those by their word scores are compared gram by gram; in a smaller
 * base every document is.
 */
import { Bm25 } from './bm25.ts';
import { Speller } from './fuzzy.ts';
import type { MatcherOptions } from './options.ts';
import { analyzerFor, charGrams, tokenize, type Analyzer } from './text.ts';
import type { MatchDoc } from './types.ts';
import { RowVectors, type RowVectorsSnapshot } from './row-vectors.ts';
import { VectorSpace } from './vector-space.ts';

/** Per document, in this order: nearest field, mean of the top-k fields, centroid, BM25, query coverage. */
export const FEATURES = ['nearest', 'topMean', 'centroid', 'bm25', 'coverage'] as const;
export type Features = [number, number, number, number, number];

export interface LanguageIndexSnapshot {
  docs: string[];
  unitStart: Int32Array;
  words: object;
  chars: RowVectorsSnapshot | null;
  wordCentroidNorm: Float64Array;
  charCentroidNorm: Float64Array | null;
  bm25: object;
  speller: object;
}

/**
 * Documents compared by character n-grams: all of them up to this many, else the ones with the best word scores.
 * Above every evaluation set's size, so their figures are those of comparing everything.
 */
export const CANDIDATES = 1_000;

export class LanguageIndex {
  private readonly analyzer: Analyzer;
  private readonly words: VectorSpace;
  private readonly chars: RowVectors | null;
  /** Each document's fields are units unitStart[d] .. unitStart[d + 1] - 1. */
  private readonly unitStart: Int32Array;
  private readonly wordCentroidNorm: Float64Array;
  private readonly charCentroidNorm: Float64Array | null;
  private readonly bm25: Bm25;
  private readonly speller: Speller;

  /** `outer`: the index of the same language this one is layered over (layered.ts), whose statistics it weighs with. */
  constructor(
    readonly docs: readonly MatchDoc[],
    locale: string,
    private readonly options: MatcherOptions,
    outer: LanguageIndex | null = null,
  ) {
    this.analyzer = analyzerFor(locale);
    const unitKinds = new Set(options.unitKinds);
    const wordRows: string[][] = [];
    const charRows: string[][] = [];
    const unitDoc: number[] = [];
    this.unitStart = new Int32Array(docs.length + 1);
    const bm25Docs: Array<Array<[string, number]>> = [];
    const vocabulary = new Map<string, number>();
    docs.forEach((doc, d) => {
      this.unitStart[d] = wordRows.length;
      const weighted: Array<[string, number]> = [];
      const seen = new Set<string>();
      for (const field of doc.fields) {
        const tokens = tokenize(field.text);
        for (const token of tokens) seen.add(token);
        const stems = this.stems(tokens);
        const weight = options.fieldWeights[field.kind];
        for (const stem of stems) weighted.push([stem, weight]);
        if (!unitKinds.has(field.kind) || tokens.length === 0) continue;
        wordRows.push(stems);
        if (options.charGrams) charRows.push(tokens);
        unitDoc.push(d);
      }
      for (const token of seen) vocabulary.set(token, (vocabulary.get(token) ?? 0) + 1);
      bm25Docs.push(weighted);
    });
    this.unitStart[docs.length] = wordRows.length;
    const groupOf = Int32Array.from(unitDoc);
    this.words = VectorSpace.build(wordRows, outer?.words ?? null);
    this.wordCentroidNorm = this.words.groupNorms(groupOf, docs.length);
    const grams = options.charGrams;
    this.chars = grams ? RowVectors.build(charRows, (token) => charGrams([token], grams.min, grams.max), outer?.chars ?? null) : null;
    this.charCentroidNorm = this.chars ? this.chars.groupNorms(this.unitStart) : null;
    this.bm25 = new Bm25(bm25Docs, options.bm25, outer?.bm25 ?? null);
    this.speller = new Speller(vocabulary, outer?.speller ?? null);
  }

  /** What the index holds, as plain data for v8.serialize (class instances become their own fields). */
  snapshot(): LanguageIndexSnapshot {
    return {
      docs: this.docs.map((doc) => doc.id),
      unitStart: this.unitStart,
      words: this.words,
      chars: this.chars?.snapshot() ?? null,
      wordCentroidNorm: this.wordCentroidNorm,
      charCentroidNorm: this.charCentroidNorm,
      bm25: this.bm25,
      speller: this.speller,
    };
  }

  /** The index a snapshot was taken of (documents keep only their ids: nothing after the build reads their text). */
  static restore(s: LanguageIndexSnapshot, lang: string, options: MatcherOptions): LanguageIndex {
    const revive = <T>(prototype: T, fields: object): T => Object.assign(Object.create(prototype as object) as object, fields) as T;
    return revive(LanguageIndex.prototype, {
      docs: s.docs.map((id): MatchDoc => ({ id, locale: lang, fields: [] })),
      options,
      analyzer: analyzerFor(lang),
      unitStart: s.unitStart,
      words: revive(VectorSpace.prototype, s.words),
      chars: s.chars ? RowVectors.restore(s.chars) : null,
      wordCentroidNorm: s.wordCentroidNorm,
      charCentroidNorm: s.charCentroidNorm,
      bm25: revive(Bm25.prototype, s.bm25),
      speller: revive(Speller.prototype, s.speller),
    });
  }

  /** Stems of the words that are not function words. */
  private stems(tokens: readonly string[]): string[] {
    const out: string[] = [];
    for (const token of tokens) if (!this.analyzer.isStop(token)) out.push(this.analyzer.stem(token));
    return out;
  }

  /** The query's words with typos corrected (when the options say so) to words this index knows. */
  tokens(query: string): string[] {
    const raw = tokenize(query);
    return this.options.typos ? raw.flatMap((t) => this.speller.split(t) ?? [this.speller.correct(t) ?? t]) : raw;
  }

  /**
   * The features of every document the query may match (see CANDIDATES), by document index. `tokens`: the query's
   * words as corrected by another index (the layer over this one, which knows the words of both).
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
    const units = this.words.rows;
    const wordScores = new Float64Array(units);
    this.words.accumulate(this.words.vector(stems, extra), wordScores);
    const docs = this.docs.length;
    const bm25 = new Float64Array(docs);
    const coverage = new Float64Array(docs);
    const terms: Array<readonly [string, number]> = [...new Set(stems)].map((s) => [s, 1] as const);
    this.bm25.score([...terms, ...extra], bm25, coverage);
    const candidates = this.candidates(wordScores, bm25);
    const charScores = new Float64Array(units);
    if (this.chars && o.charGrams) {
      const chars = this.chars;
      chars.vector(charGrams(raw, o.charGrams.min, o.charGrams.max)).use(() => {
        for (const d of candidates) for (let u = this.unitStart[d]!; u < this.unitStart[d + 1]!; u++) charScores[u] = chars.similarity(u);
      });
    }
    const share = this.chars ? o.charShare : 0;
    const out: Array<{ doc: number; features: Features }> = [];
    const top = new Float64Array(o.topK);
    for (const d of candidates) {
      let nearest = 0;
      let wordSum = 0;
      let charSum = 0;
      top.fill(0);
      for (let u = this.unitStart[d]!; u < this.unitStart[d + 1]!; u++) {
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
      out.push({ doc: d, features: [nearest, count > 0 ? topSum / count : 0, (1 - share) * wordCentroid + share * charCentroid, bm25[d]!, coverage[d]!] });
    }
    return out;
  }

  /** Every document in a base of up to CANDIDATES; in a larger one, the CANDIDATES best by BM25 and nearest word field. */
  private candidates(wordScores: Float64Array, bm25: Float64Array): Iterable<number> {
    const docs = this.docs.length;
    if (docs <= CANDIDATES) return Array.from({ length: docs }, (_, d) => d);
    const score = new Float64Array(docs);
    const positive: number[] = [];
    for (let d = 0; d < docs; d++) {
      let nearest = 0;
      for (let u = this.unitStart[d]!; u < this.unitStart[d + 1]!; u++) if (wordScores[u]! > nearest) nearest = wordScores[u]!;
      score[d] = bm25[d]! + nearest;
      if (score[d]! > 0) positive.push(score[d]!);
    }
    const floor = positive.length <= CANDIDATES ? Number.MIN_VALUE : kthLargest(Float64Array.from(positive), CANDIDATES);
    const out: number[] = [];
    for (let d = 0; d < docs && out.length < CANDIDATES; d++) if (score[d]! >= floor) out.push(d);
    return out;
  }
}

/** The k-th largest value (1-based) of `values`, which it reorders: quickselect, linear on average. */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return values[want]!;
  }
  return values[want]!;
}
