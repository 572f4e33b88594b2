/**
 * Yardsticks computed in the same run: TF-IDF nearest neighbour over the fields (lower-cased words, no stemming, no
 * stop words; as scikit-learn's TfidfVectorizer + cosine) and plain BM25 over whole documents (k1 1.2, b 0.75).
 */
import type { MatchDoc } from '../../src/search/matcher/index.ts';

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function tfidfNearest(docs: readonly MatchDoc[]): (query: string) => string[] {
  const rows = docs.flatMap((d) => d.fields.map((f) => ({ id: d.id, tf: counts(words(f.text)) })));
  const df = new Map<string, number>();
  for (const r of rows) for (const w of r.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log((rows.length + 1) / ((df.get(w) ?? 0) + 1)) + 1;
  const vec = (tf: Map<string, number>) => {
    const v = new Map([...tf].map(([w, f]) => [w, f * idf(w)]));
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  const vectors = rows.map((r) => ({ id: r.id, v: vec(r.tf) }));
  return (query) => {
    const q = vec(counts(words(query)));
    const best = new Map<string, number>();
    for (const { id, v } of vectors) {
      let s = 0;
      for (const [w, x] of q) s += x * (v.get(w) ?? 0);
      if (s > (best.get(id) ?? 0)) best.set(id, s);
    }
    return [...best].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  };
}

export function plainBm25(docs: readonly MatchDoc[], k1 = 1.2, b = 0.75): (query: string) => string[] {
  const list = docs.map((d) => {
    const ws = d.fields.flatMap((f) => words(f.text));
    return { id: d.id, tf: counts(ws), length: ws.length };
  });
  const df = new Map<string, number>();
  for (const d of list) for (const w of d.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const avg = list.reduce((s, d) => s + d.length, 0) / Math.max(1, list.length);
  return (query) => {
    const qs = words(query);
    const best = new Map<string, number>();
    for (const d of list) {
      let s = 0;
      for (const w of qs) {
        const f = d.tf.get(w);
        if (!f) continue;
        const n = df.get(w)!;
        s += (Math.log(1 + (list.length - n + 0.5) / (n + 0.5)) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg));
      }
      if (s > (best.get(d.id) ?? 0)) best.set(d.id, s);
    }
    return [...best].sort((a, b2) => b2[1] - a[1] || (a[0] < b2[0] ? -1 : 1)).map(([id]) => id);
  };
}

function counts(ws: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}
