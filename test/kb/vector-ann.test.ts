import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVectorFile, writeVectorFile } from '../../src/kb/openai/vector-file.ts';
import { VectorIndex } from '../../src/kb/openai/vector-index.ts';
import { BATCH, VectorStore } from '../../src/kb/openai/vector-store.ts';
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
    const all = passages.map((_, i) => ({ ...passage(i), locale: i % 300 === 0 ? (i % 600 === 0 ? 'de-CH' : 'de') : 'en' }));
    const index = new VectorIndex(all, store, Int32Array.from(passages, (_, i) => i));
    for (const question of questions) {
      const hits = index.search(question, 5, 'de');
      expect(hits).toHaveLength(5);
      expect(hits.every((hit) => hit.passage.locale.startsWith('de'))).toBe(true);
    }
    expect(index.search(questions[0]!, 5, 'fr')).toEqual([]);
  });

  it('without lists ranks as a scan of every stored vector does, over more rows than one call into WebAssembly scores', () => {
    // 4,999 rows: a batch of BATCH and a last one that is not a whole number of the kernel's groups of rows.
    const { passages, questions } = clusteredVectors({ passages: BATCH + 903, questions: 20, dims: 40, seed: 5 });
    const store = new VectorStore(40);
    passages.forEach((v, i) => store.add(i.toString(16).padStart(64, '0'), v));
    expect(store.ivf).toBeNull();
    const stored = passages.map((_, row) => store.vector(row));
    const index = new VectorIndex(passages.map((_, i) => passage(i)), store, Int32Array.from(passages, (_, i) => i));
    let found = 0;
    for (const question of questions) {
      const hits = index.search(question, 10).map((hit) => hit.articleId);
      expect(hits).toEqual(exactNearest(stored, question, 10).map((i) => `a${i}`));
      // Against the vectors before quantization: the same ten but for a near tie at the edge now and then.
      const exact = exactNearest(passages, question, 10).map((i) => `a${i}`);
      found += exact.filter((id) => hits.includes(id)).length;
    }
    expect(found / (10 * questions.length)).toBeGreaterThanOrEqual(0.97);
  });

  it('scores rows in any order, in batches, as it scores each alone and close to the float similarity', () => {
    const { passages, questions } = clusteredVectors({ passages: BATCH + 7, questions: 1, dims: 40, seed: 9 });
    const store = new VectorStore(40);
    passages.forEach((v, i) => store.add(i.toString(16).padStart(64, '0'), v));
    const rows = Int32Array.from(passages, (_, i) => (i * 2503) % passages.length);
    const scale = store.prepare(questions[0]!);
    const similarities = new Float32Array(rows.length);
    store.similarities(rows, rows.length, scale, similarities);
    rows.forEach((row, i) => {
      expect(similarities[i]).toBe(Math.fround(store.similarity(row, scale)));
      let float = 0;
      for (let d = 0; d < 40; d++) float += passages[row]![d]! * questions[0]![d]!;
      expect(Math.abs(similarities[i]! - float)).toBeLessThan(0.03);
    });
  });

  it('read back from its file, holds the rows of each list together and answers as before, rows added after it too', async () => {
    const { passages, questions } = clusteredVectors({ passages: 3000, questions: 12, dims: 48, seed: 11 });
    const store = new VectorStore(48);
    passages.forEach((v, i) => store.add(i.toString(16).padStart(64, '0'), v));
    store.index();
    const all = passages.map((_, i) => passage(i));
    const answers = (s: VectorStore) => {
      const index = new VectorIndex(all, s, Int32Array.from(passages, (_, i) => s.row(i.toString(16).padStart(64, '0'))!));
      return questions.map((q) => index.search(q, 10).map((hit) => [hit.articleId, hit.similarity]));
    };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-vectors-'));
    try {
      const file = path.join(dir, 'm.vectors');
      await writeVectorFile(file, store);
      const read = (await readVectorFile(file))!;
      expect(answers(read)).toEqual(answers(store));
      for (const list of read.ivf!.lists) list.forEach((row, k) => expect(read.slot(row)).toBe(read.slot(list[0]!) + k));
      // A row added to the store read back, kept and read again, is its own nearest.
      read.add('f'.repeat(64), questions[0]!);
      await writeVectorFile(file, read);
      const again = (await readVectorFile(file))!;
      const index = new VectorIndex([...all, passage(3000)], again, Int32Array.from({ length: 3001 }, (_, i) => again.row(i === 3000 ? 'f'.repeat(64) : i.toString(16).padStart(64, '0'))!));
      expect(index.search(questions[0]!, 1)[0]?.articleId).toBe('a3000');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
