/**
 * Synthetic embeddings with the shape of a real knowledge base's: topics, subtopics within them, and passages around
 * a subtopic (cosine ~0.6 to their subtopic's other passages, ~0.35 to the topic's, ~0 to the rest). Questions are
 * drawn the same way around a random subtopic, so each has about fifty close passages to rank by fine differences.
 * Deterministic for a seed. Used by the ANN's recall test and `npm run bench -- kb-vectors`.
 */
import { seededRandom } from '../../../src/infra/seeded-random.ts';

export interface ClusteredVectors {
  passages: Float32Array[];
  questions: Float32Array[];
}

export function clusteredVectors(options: { passages: number; questions: number; dims: number; seed?: number }): ClusteredVectors {
  const { dims } = options;
  const gauss = gaussian(options.seed ?? 7);
  const direction = () => normalize(Float32Array.from({ length: dims }, gauss));
  const topics = Math.max(1, Math.round(options.passages / 500));
  const topicCenters = Array.from({ length: topics }, direction);
  const subCenters = Array.from({ length: topics * 10 }, direction);
  const around = (sub: number) => {
    const topic = topicCenters[Math.floor(sub / 10)]!;
    const center = subCenters[sub]!;
    const v = new Float32Array(dims);
    const noise = 1 / Math.sqrt(dims);
    for (let d = 0; d < dims; d++) v[d] = 0.6 * topic[d]! + 0.5 * center[d]! + 0.6 * noise * gauss();
    return normalize(v);
  };
  const pick = seededRandom((options.seed ?? 7) + 1);
  return {
    passages: Array.from({ length: options.passages }, () => around(Math.floor(pick() * subCenters.length))),
    questions: Array.from({ length: options.questions }, () => around(Math.floor(pick() * subCenters.length))),
  };
}

/** The `k` nearest passages by an exact float32 scan, best first. */
export function exactNearest(passages: readonly Float32Array[], query: Float32Array, k: number): number[] {
  const scores = passages.map((v) => {
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += v[d]! * query[d]!;
    return dot;
  });
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
}

function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm);
  for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return v;
}

/** Standard normal draws (Box-Muller). */
function gaussian(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
