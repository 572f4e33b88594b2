/**
 * `node --import tsx bench/understanding/calibrate-meaning.ts`: chooses the re-ranking by meaning
 * (src/understanding/meaning/rerank.ts) on DEV data only: the English messages of the Brightwave dev half, and
 * BANKING77's train.csv (the first 10 messages of each intent are the flows' examples, messages 11–30 the queries).
 * The weight of closeness by meaning is chosen for the mean share of right first candidates over the sets; the
 * confidence is a logistic fit of "the first is right" on the lead, the first's closeness and the words' confidence.
 * Prints MEANING_MODEL. Never reads a test half.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScoredCandidate } from '../../src/core/understanding.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { loadFlows } from '../../src/engine/load-flows.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { matcherConfidence } from '../../src/search/matcher/index.ts';
import { UniversalSentenceEncoder } from '../../src/understanding/meaning/sentence-encoder.ts';
import { Understander } from '../../src/understanding/understander.ts';
import { fitLogistic } from '../kb-eval/logistic.ts';
import { brightwaveHalf } from './brightwave-half.ts';
import { banking77Dev } from './banking77-dev.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const encoder = new UniversalSentenceEncoder();
interface Query { candidates: ScoredCandidate[]; right: Set<string> }
const sets: Query[][] = [];

async function collect(understander: Understander, flows: FlowSet, queries: Array<{ text: string; expect: string[] }>): Promise<Query[]> {
  const out: Query[] = [];
  for (const q of queries) {
    const { candidates } = await understander.understand(flows, q.text, { locale: 'en' });
    out.push({ candidates, right: new Set(q.expect) });
  }
  return out;
}
const label = (c: ScoredCandidate) => `${c.kind === 'flow' ? 'flow' : 'article'}:${c.id}`;

const flows = await loadFlows(path.join(root, 'flows'));
const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
const dev = (await brightwaveHalf('dev', false))
  .filter((q) => q.locale === 'en' && !q.expect.every((e) => e.startsWith('intent:')));
sets.push(await collect(new Understander({ minConfidence: 0, encoder, knowledge: () => ({ version: 'dev', articles }) }), flows, dev));

const b77 = await banking77Dev();
if (b77) sets.push(await collect(new Understander({ minConfidence: 0, encoder }), b77.flows, b77.queries(10, 30)));
else process.stdout.write('BANKING77 is not under ../shared/datasets: calibrating on the Brightwave dev half alone.\n');

/** The candidates in word order again (the understander returned them re-ranked), with the words' confidence. */
function byWords(q: Query) {
  const words = [...q.candidates].sort((a, b) => b.score - a.score);
  return { words, confidence: words[0] ? matcherConfidence(words[0].score, words[1]?.score ?? 0) : 0 };
}
function ranked(q: Query, weight: number) {
  const { words, confidence } = byWords(q);
  const top = words[0]?.score || 1;
  const fused = (c: ScoredCandidate) => c.score / top + weight * (c.meaning ?? 0);
  const order = [...words].sort((a, b) => fused(b) - fused(a));
  const lead = order[0] ? fused(order[0]) - (order[1] ? fused(order[1]) : 0) : 0;
  return { first: order[0], lead, closeness: order[0]?.meaning ?? 0, words: order[0] && order[0].id === words[0]!.id ? confidence : 0 };
}
const hit1 = (set: Query[], weight: number) => set.filter((q) => { const f = ranked(q, weight).first; return f && q.right.has(label(f)); }).length / set.length;

let best = { weight: 0, mean: -1 };
for (const weight of [0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 12]) {
  const per = sets.map((s) => hit1(s, weight));
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  process.stdout.write(`weight ${weight}: right first ${per.map((x) => x.toFixed(3)).join(' / ')} (mean ${mean.toFixed(3)})\n`);
  if (mean > best.mean + 1e-9) best = { weight, mean };
}
const rows: number[][] = [];
const labels: number[] = [];
// Each set weighs the same in the fit (BANKING77 has many more queries than the Brightwave dev half).
const largest = Math.max(...sets.map((s) => s.length));
for (const set of sets) for (const q of set) {
  const r = ranked(q, best.weight);
  if (!r.first) continue;
  for (let copy = 0; copy < Math.round(largest / set.length); copy++) {
    rows.push([r.lead, r.closeness, r.words]);
    labels.push(q.right.has(label(r.first)) ? 1 : 0);
  }
}
const [intercept, margin, closeness, words] = fitLogistic(rows, labels);
const f = (x: number) => Number(x!.toFixed(3));
process.stdout.write(`MEANING_MODEL = { weight: ${best.weight}, intercept: ${f(intercept!)}, margin: ${f(margin!)}, closeness: ${f(closeness!)}, words: ${f(words!)} }\n`);
