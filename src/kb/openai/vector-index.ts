/**
 * Nearest passages by cosine similarity (vectors are normalized). Below ANN_FROM embedded texts every row is scored;
 * from there on the store's IVF lists are probed (ivf.ts): the nearest PROBE_SHARE of them, more while fewer articles
 * than asked for were found (a language with few passages), every row in them scored on its full int8 vector.
 */
import type { Passage } from '../types.ts';
import type { VectorStore } from './vector-store.ts';

export interface VectorHit {
  articleId: string;
  passage: Passage;
  /** Cosine similarity of the article's best passage, -1..1. */
  similarity: number;
}

export class VectorIndex {
  /** Per row, its first passage (-1: none, a text no passage of this index has); per passage, the next one of its row. */
  private readonly firstOfRow: Int32Array;
  private readonly nextOfPassage: Int32Array;
  /** Per passage, its article's number; per article, the best similarity and passage of the search under way. */
  private readonly articleOf: Int32Array;
  private readonly bestScore: Float32Array;
  private readonly bestPassage: Int32Array;
  private readonly bestRow: Int32Array;

  /** `rows[i]`: the store's row holding `passages[i]`'s vector. */
  constructor(
    private readonly passages: readonly Passage[],
    readonly store: VectorStore,
    rows: Int32Array,
  ) {
    this.firstOfRow = new Int32Array(store.rows).fill(-1);
    this.nextOfPassage = new Int32Array(passages.length).fill(-1);
    for (let i = passages.length - 1; i >= 0; i--) {
      const row = rows[i]!;
      this.nextOfPassage[i] = this.firstOfRow[row]!;
      this.firstOfRow[row] = i;
    }
    const numbers = new Map<string, number>();
    this.articleOf = Int32Array.from(passages, (p) => {
      let n = numbers.get(p.articleId);
      if (n === undefined) numbers.set(p.articleId, (n = numbers.size));
      return n;
    });
    this.bestScore = new Float32Array(numbers.size);
    this.bestPassage = new Int32Array(numbers.size).fill(-1);
    this.bestRow = new Int32Array(numbers.size);
  }

  get size(): number {
    return this.passages.length;
  }

  /**
   * Articles best first (by their best passage), at most `limit`, among passages `accept` lets through. `counted`,
   * when given, gets the number of rows scored.
   */
  search(query: Float32Array, limit: number, accept: (p: Passage) => boolean = () => true, counted?: { scored: number }): VectorHit[] {
    if (query.length !== this.store.dims) return [];
    // Per article, its best passage so far, in typed arrays (no object or Map entry per row scored); `touched` lists
    // the articles seen, whose entries are reset at the end.
    const touched: number[] = [];
    const scale = this.store.prepare(query);
    const score = (row: number) => {
      if (row >= this.firstOfRow.length) return; // added to the store after this index was made
      let similarity = NaN;
      for (let i = this.firstOfRow[row]!; i >= 0; i = this.nextOfPassage[i]!) {
        if (!accept(this.passages[i]!)) continue;
        if (Number.isNaN(similarity)) {
          similarity = this.store.similarity(row, scale);
          if (counted) counted.scored++;
        }
        const article = this.articleOf[i]!;
        if (this.bestPassage[article] === -1) touched.push(article);
        else if (similarity <= this.bestScore[article]!) continue;
        this.bestScore[article] = similarity;
        this.bestPassage[article] = i;
        this.bestRow[article] = row;
      }
    };
    const ivf = this.store.ivf;
    if (!ivf) {
      for (let row = 0; row < this.firstOfRow.length; row++) score(row);
    } else {
      const ranked = ivf.ranked(query);
      const step = ivf.probes;
      for (let probed = 0; probed < ranked.length && (probed === 0 || touched.length < limit); probed += step) {
        for (let l = probed; l < Math.min(ranked.length, probed + step); l++) for (const row of ivf.lists[ranked[l]!]!) score(row);
      }
    }
    // The first ones again with the question unquantized: the order at the top is the finest.
    const first = touched.sort((a, b) => this.bestScore[b]! - this.bestScore[a]!).slice(0, 2 * limit);
    const hits = first.map((article): VectorHit => {
      const passage = this.passages[this.bestPassage[article]!]!;
      return { articleId: passage.articleId, passage, similarity: this.store.dot(this.bestRow[article]!, query) };
    });
    for (const article of touched) this.bestPassage[article] = -1;
    return hits.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}
