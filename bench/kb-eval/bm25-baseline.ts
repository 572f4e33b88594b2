/**
 * The reference: plain BM25 (k1 1.2, b 0.75), lower-cased alphanumeric tokens, no stemming, no stop words,
 * one document per article (title + passages + example questions). Written by hand as a yardstick only.
 */
import type { Article } from '../../src/kb/types.ts';

const tokens = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

export class Bm25Baseline {
  private readonly docs: Array<{ id: string; tf: Map<string, number>; length: number }>;
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(articles: readonly Article[], private readonly k1 = 1.2, private readonly b = 0.75) {
    this.docs = articles.map((a) => {
      const words = tokens([a.title, ...a.passages.map((p) => p.text), ...a.questions].join(' '));
      const tf = new Map<string, number>();
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return { id: a.id, tf, length: words.length };
    });
    this.avgLength = this.docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Article ids, best first. */
  rank(query: string): string[] {
    const n = this.docs.length;
    const scored = this.docs.map((d) => {
      let score = 0;
      for (const w of tokens(query)) {
        const f = d.tf.get(w);
        if (!f) continue;
        const df = this.df.get(w)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * d.length) / this.avgLength));
      }
      return { id: d.id, score };
    });
    return scored.filter((s) => s.score > 0).sort((x, y) => y.score - x.score).map((s) => s.id);
  }
}
