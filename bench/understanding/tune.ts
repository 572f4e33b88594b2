/**
 * Chooses the matcher's model on dev sides only (BANKING77's and StackFAQ's; the Brightwave set is never tuned on
 * here). The features of every dev query are computed once; the feature weights are then chosen by coordinate
 * ascent on the mean dev hit@1 over the sets (a ranking objective: a pointwise fit ranked worse), and the scale and
 * intercept by logistic regression of "is this the right document" on the weighted sum (the calibration that makes
 * the score a confidence). Paste the printed model into src/search/matcher/options.ts.
 * `node --import tsx bench/understanding/tune.ts`
 */
import { Matcher, type Features } from '../../src/search/matcher/index.ts';
import { fitLogistic } from '../kb-eval/logistic.ts';
import { banking77, stackfaq, type EvalSet } from './data.ts';

const sets: EvalSet[] = [...((await banking77()) ?? []), ...((await stackfaq()) ?? [])];
if (sets.length === 0) {
  process.stdout.write('tune: no data set found under ../shared/datasets; nothing tuned.\n');
  process.exit(0);
}

interface Group {
  features: Features[];
  right: boolean[];
}
const groups: Group[][] = sets.map((set) =>
  set.parts
    .filter((p) => p.tune)
    .flatMap((p) => p.tasks)
    .flatMap((task) => {
      const m = Matcher.build(task.docs);
      return task.queries.map((q) => {
        const scored = m.features(q.text, q.locale);
        return { features: scored.map((s) => s.features), right: scored.map((s) => q.expected.includes(s.id)) };
      });
    }),
);

const dot = (w: readonly number[], f: Features) => f.reduce((sum, x, i) => sum + w[i]! * x, 0);
function hit1(w: readonly number[], list: readonly Group[]): number {
  let hits = 0;
  for (const g of list) {
    let best = -Infinity;
    let right = false;
    g.features.forEach((f, i) => {
      const s = dot(w, f);
      if (s > best) (best = s), (right = g.right[i]!);
    });
    if (right) hits++;
  }
  return hits / Math.max(1, list.length);
}
const objective = (w: readonly number[]) => groups.reduce((sum, list) => sum + hit1(w, list), 0) / groups.length;

let w = [6, 2, 2, 3, 2];
let best = objective(w);
const values = [0, 0.5, 1, 2, 3, 4, 6, 8, 12];
for (let round = 0; round < 3; round++) {
  for (let i = 0; i < w.length; i++) {
    for (const v of values) {
      const trial = w.map((x, k) => (k === i ? v : x));
      const score = objective(trial);
      if (score > best + 1e-9) (best = score), (w = trial);
    }
  }
  process.stdout.write(`round ${round + 1}: weights [${w.join(', ')}], mean dev hit@1 ${best.toFixed(4)}\n`);
}
// Calibration: is the document right, given its weighted sum? The 30 best per query plus the right one.
const rows: number[][] = [];
const labels: number[] = [];
for (const list of groups) {
  for (const g of list) {
    const order = g.features.map((f, i) => ({ s: dot(w, f), right: g.right[i]! })).sort((a, b) => b.s - a.s);
    for (const [k, r] of order.entries()) if (k < 30 || r.right) rows.push([r.s]), labels.push(r.right ? 1 : 0);
  }
}
const [b, a] = fitLogistic(rows, labels, 1e-3);
const model = [b!, ...w.map((x) => x * a!)].map((x) => Math.round(x * 100) / 100);
process.stdout.write(`per set dev hit@1: ${groups.map((list) => hit1(w, list).toFixed(3)).join(' ')}\nmodel: [${model.join(', ')}]\n`);
