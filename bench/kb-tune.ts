/**
 * How the knowledge base's retrieval settings and confidence model were chosen: on the StackFAQ **dev half only**
 * (rephr[0:5]). Queries are dev rephrasings; when example questions are used, the query's own rephrasing is left
 * out of its article's examples (leave-one-out), so nothing is tuned on a question the index contains.
 * The test half is never read here. Run: `node --import tsx bench/kb-tune.ts` (about two minutes).
 */
import { CONFIDENCE_MODEL, confidenceFeatures } from '../src/kb/confidence.ts';
import { DEFAULT_LEXICAL_SETTINGS, LexicalIndex, type LexicalSettings } from '../src/kb/lexical-index.ts';
import { fitLogistic } from './kb-eval/logistic.ts';
import { f3, rankFigures } from './kb-eval/metrics.ts';
import { loadThreads, stackfaqFile, toArticles, type Thread } from './kb-eval/stackfaq.ts';

const { file, found } = stackfaqFile();
if (!found) {
  process.stdout.write(`kb-tune: StackFAQ not found at ${file} (set STACKFAQ_DIR); nothing to tune.\n`);
  process.exit(0);
}
// Only titles, answers and the dev half: the test half is dropped as soon as the file is read.
const threads: Thread[] = (await loadThreads(file)).map((t) => ({ ...t, test: [] }));
const passagesOf = (list: readonly Thread[], questions: (t: Thread) => string[]) => toArticles(list, questions).flatMap((a) => a.passages);

/** hit@1 and MRR on dev: without examples, and leave-one-out with the other dev rephrasings as examples. */
function devScore(settings: LexicalSettings) {
  const plain = new LexicalIndex(passagesOf(threads, () => []), 'en', settings);
  const none = rankFigures(threads.flatMap((t) => t.dev.map((q) => ({ expected: t.id, ranked: plain.search(q, 10).hits.map((h) => h.articleId) }))));
  const cases = [];
  for (let k = 0; k < 5; k++) {
    const index = new LexicalIndex(passagesOf(threads, (t) => t.dev.filter((_, i) => i !== k)), 'en', settings);
    for (const t of threads) if (t.dev[k]) cases.push({ expected: t.id, ranked: index.search(t.dev[k]!, 10).hits.map((h) => h.articleId) });
  }
  const examples = rankFigures(cases);
  return { none, examples, total: none.hit1 + none.mrr + examples.hit1 + examples.mrr };
}

process.stdout.write('Retrieval settings (dev half): hit@1 / MRR without examples, with examples (leave-one-out)\n');
const D = DEFAULT_LEXICAL_SETTINGS;
const grid: Array<[string, LexicalSettings]> = [['default', D]];
for (const title of [2, 4, 6]) for (const questions of [3, 6]) for (const k of [1.2, 2.2]) for (const b of [0.75, 0.9]) {
  grid.push([`title ${title} questions ${questions} k ${k} b ${b}`, { ...D, boost: { ...D.boost, title, questions }, bm25: { ...D.bm25, k, b } }]);
}
grid.push(['no fuzzy', { ...D, fuzzy: 0 }], ['no prefix', { ...D, prefixMinLength: 0 }], ['fuzzy 0.3', { ...D, fuzzy: 0.3 }], ['weights 0.45', { ...D, weights: { fuzzy: 0.45, prefix: 0.45 } }]);
const scored = grid.map(([name, s]) => ({ name, ...devScore(s) })).sort((a, b) => b.total - a.total);
for (const r of scored.slice(0, 10).concat(scored.filter((r) => r.name === 'default'))) {
  process.stdout.write(`  ${r.name.padEnd(36)} none ${f3(r.none.hit1)} / ${f3(r.none.mrr)}   examples ${f3(r.examples.hit1)} / ${f3(r.examples.mrr)}\n`);
}

// Confidence: a fifth of the articles left out in turn, so some questions have no article.
process.stdout.write('\nConfidence model (dev half, each fifth of the articles left out in turn)\n');
const rows: number[][] = [];
const labels: number[] = [];
const unknown: number[] = [];
const missing: boolean[] = [];
for (let fold = 0; fold < 5; fold++) {
  const present = threads.filter((_, i) => i % 5 !== fold);
  for (const withExamples of [false, true]) {
    for (let k = 0; k < 5; k++) {
      const index = new LexicalIndex(passagesOf(present, (t) => (withExamples ? t.dev.filter((_, i) => i !== k) : [])), 'en');
      for (const t of threads) {
        if (!t.dev[k]) continue;
        const { hits, query } = index.search(t.dev[k]!, 5);
        const f = confidenceFeatures(hits, query);
        rows.push(f ? [f.intentCoverage, f.margin, Math.log(Math.max(f.specificity, 0.05))] : [0, 0, Math.log(0.05)]);
        labels.push(hits[0]?.articleId === t.id ? 1 : 0);
        unknown.push(f?.unknown ?? 1);
        missing.push(!present.includes(t));
      }
    }
  }
}
const w = fitLogistic(rows, labels);
process.stdout.write(`  fitted: intercept ${w[0]!.toFixed(3)}, intentCoverage ${w[1]!.toFixed(3)}, margin ${w[2]!.toFixed(3)}, logSpecificity ${w[3]!.toFixed(3)}\n`);
process.stdout.write(`  in use: ${JSON.stringify(CONFIDENCE_MODEL)}\n\n`);
const m = CONFIDENCE_MODEL;
const p = rows.map((r, i) => (1 / (1 + Math.exp(-(m.intercept + m.intentCoverage * r[0]! + m.margin * r[1]! + m.logSpecificity * r[2]!)))) * (1 - unknown[i]!));
process.stdout.write('  threshold  answered  right when answered  missing answered  present declined\n');
for (const t of [0.4, 0.5, 0.6, 0.65, 0.7, 0.8]) {
  const answered = p.map((x) => x >= t);
  const n = answered.filter(Boolean).length;
  const right = answered.filter((a, i) => a && labels[i] === 1).length;
  const miss = missing.filter(Boolean).length;
  const missAnswered = answered.filter((a, i) => a && missing[i]).length;
  const presDeclined = answered.filter((a, i) => !a && !missing[i]).length;
  process.stdout.write(`  ${t.toFixed(2).padStart(9)}  ${f3(n / p.length).padStart(8)}  ${f3(right / Math.max(1, n)).padStart(19)}  ${f3(missAnswered / miss).padStart(16)}  ${f3(presDeclined / (p.length - miss)).padStart(16)}\n`);
}
process.stdout.write('\n  calibration (model before the unknown-words factor): predicted → observed\n');
const raw = p.map((x, i) => x / Math.max(1e-9, 1 - unknown[i]!));
for (let lo = 0; lo < 1; lo += 0.2) {
  const idx = raw.map((x, i) => (x >= lo && x < lo + 0.2 ? i : -1)).filter((i) => i >= 0);
  if (idx.length) process.stdout.write(`  ${lo.toFixed(1)}–${(lo + 0.2).toFixed(1)}  n ${String(idx.length).padStart(4)}  observed ${f3(idx.filter((i) => labels[i] === 1).length / idx.length)}\n`);
}
