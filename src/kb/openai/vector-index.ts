/** Exact nearest passages by cosine similarity (vectors are normalized): a scan, fast enough for one shop's base. */
import type { Passage } from '../types.ts';

export interface VectorHit {
  articleId: string;
  passage: Passage;
  /** Cosine similarity of the article's best passage, -1..1. */
  similarity: number;
}

export class VectorIndex {
  constructor(
    private readonly passages: readonly Passage[],
    private readonly vectors: readonly Float32Array[],
  ) {}

  get size(): number {
    return this.vectors.length;
  }

  /** Articles best first (by their best passage), at most `limit`, among passages `accept` lets through. */
  search(query: Float32Array, limit: number, accept: (p: Passage) => boolean = () => true): VectorHit[] {
    const best = new Map<string, VectorHit>();
    this.passages.forEach((passage, i) => {
      const vector = this.vectors[i];
      if (!vector || vector.length !== query.length || !accept(passage)) return;
      let dot = 0;
      for (let d = 0; d < vector.length; d++) dot += vector[d]! * query[d]!;
      const seen = best.get(passage.articleId);
      if (!seen || dot > seen.similarity) best.set(passage.articleId, { articleId: passage.articleId, passage, similarity: dot });
    });
    return [...best.values()].sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}
