import { describe, expect, it } from 'vitest';
import { VectorIndex } from '../../src/kb/openai/vector-index.ts';
import { VectorStore } from '../../src/kb/openai/vector-store.ts';
import type { Passage } from '../../src/kb/types.ts';
import { clusteredVectors, exactNearest } from './support/clustered-vectors.ts';

function passage(i: number): Passage {
  return { id: `a${i}#0`, articleId: `a${i}`, title: '', heading: null, questions: [], tags: [], locale: 'en', text: '', file: 'x', line: 1 };
}

describe('approximate nearest neighbours over quantized vectors', () => {
  it('finds at least 95 % of the exact ten nearest passages while scoring a fraction of them', () => {
    const { passages, questions } = clusteredVectors({ passages: 8000, questions: 60, dims: 64 });
    const store = new VectorStore(64);
    passages.forEach((v, i) => store.add(i.toString(16).padStart(64, '0'), v));
    store.index();
    expect(store.ivf).not.toBeNull();
    // int8 codes: a quarter of float32's bytes, plus a scale per row and the lists (at 64 dimensions a third).
    expect(store.bytes).toBeLessThan(0.35 * passages.length * 64 * 4);
    const index = new VectorIndex(passages.map((_, i) => passage(i)), store, Int32Array.from(passages, (_, i) => i));
    let found = 0;
    const counted = { scored: 0 };
    for (const question of questions) {
      const exact = exactNearest(passages, question, 10).map((i) => `a${i}`);
      const approximate = index.search(question, 10, undefined, counted).map((hit) => hit.articleId);
      found += exact.filter((id) => approximate.includes(id)).length;
    }
    expect(found / (10 * questions.length)).toBeGreaterThanOrEqual(0.95);
    expect(counted.scored / questions.length).toBeLessThan(0.15 * passages.length);
  });

  it('probes further when the first lists hold too few passages it may return (a language with few articles)', () => {
    const { passages, questions } = clusteredVectors({ passages: 3000, questions: 5, dims: 32, seed: 3 });
    const store = new VectorStore(32);
    passages.forEach((v, i) => store.add(i.toString(16).padStart(64, '0'), v));
    store.index();
    const all = passages.map((_, i) => ({ ...passage(i), locale: i % 300 === 0 ? 'de' : 'en' }));
    const index = new VectorIndex(all, store, Int32Array.from(passages, (_, i) => i));
    for (const question of questions) expect(index.search(question, 5, (p) => p.locale === 'de')).toHaveLength(5);
  });
});
