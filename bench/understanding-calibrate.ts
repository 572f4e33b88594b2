/**
 * `node --import tsx bench/understanding-calibrate.ts`: fits the understanding step's confidence (the probability
 * that the first candidate is right) from the matcher's first and second scores, on DEV data only: the Brightwave
 * dev half (eval/brightwave/dev.jsonl; messages labelled "decline" count as "the first candidate is wrong") and
 * BANKING77's train.csv (the first 10 messages of each intent are the flows' examples, the next 10 are queries).
 * Prints the coefficients for src/search/matcher/confidence.ts. Never reads a test half.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowSet } from '../src/engine/model.ts';
import { loadFlows } from '../src/engine/load-flows.ts';
import { loadKnowledge } from '../src/kb/load.ts';
import { Understander } from '../src/understanding/understander.ts';
import { brightwaveHalf } from './understanding/brightwave-half.ts';
import { banking77Dev } from './understanding/banking77-dev.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Row = { s1: number; s2: number; right: number };
const rows: Row[] = [];

async function collect(understander: Understander, flows: FlowSet, queries: Array<{ text: string; locale: string; expect: string[] }>, weight = 1) {
  for (const q of queries) {
    const { candidates } = await understander.understand(flows, q.text, { locale: q.locale });
    const [first, second] = candidates;
    if (!first) continue;
    const id = `${first.kind === 'flow' ? 'flow' : 'article'}:${first.id}`;
    for (let i = 0; i < weight; i++) rows.push({ s1: first.score, s2: second?.score ?? 0, right: q.expect.includes(id) ? 1 : 0 });
  }
}

const flows = await loadFlows(path.join(root, 'flows'));
const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
const bright = new Understander({ minConfidence: 0, ranker: 'matcher', knowledge: () => ({ version: 'dev', articles }) });
const dev = (await brightwaveHalf('dev', false))
  .filter((q) => !q.expect.every((e) => e.startsWith('intent:')));
await collect(bright, flows, dev, 3);

const b77 = await banking77Dev();
if (b77) await collect(new Understander({ minConfidence: 0, ranker: 'matcher' }), b77.flows, b77.queries(10, 20));

// Logistic regression by gradient descent on [1, s1, s1 - s2, ln(s1)]: the log lets a first score near 0 (nothing
// really matched) say "no" however the others compare.
const features = (r: Row) => [1, r.s1, r.s1 - r.s2, Math.log(r.s1 + 0.001)];
let w = [0, 0, 0, 0];
for (let epoch = 0; epoch < 8000; epoch++) {
  const g = [0, 0, 0, 0];
  for (const r of rows) {
    const x = features(r);
    const p = 1 / (1 + Math.exp(-x.reduce((sum, xi, i) => sum + xi * w[i]!, 0)));
    for (let i = 0; i < x.length; i++) g[i]! += (p - r.right) * x[i]!;
  }
  w = w.map((wi, i) => wi - (0.5 * g[i]!) / rows.length);
}
const right = rows.filter((r) => r.right === 1).length;
process.stdout.write(`${rows.length} rows (${right} right first). Coefficients [intercept, first, margin, ln first]: ${w.map((x) => x.toFixed(3)).join(', ')}\n`);
