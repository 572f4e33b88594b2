/**
 * `npm run eval:kb [-- --ranker lexical]`: the knowledge base's retrieval (the matcher; `--ranker lexical` for the
 * former MiniSearch ranking, to compare) on StackFAQ (../shared/datasets/stackfaq, or STACKFAQ_DIR), reported on the
 * test half (rephr[6:11]) only: hit@1, hit@5 and MRR without and with example questions (the dev half), beside
 * plain BM25 computed in the same run; then the answer/decline trade-off with a fifth of the articles left out.
 * Nothing here is tuned: the matcher's settings come from bench/understanding/tune.ts and its confidence from
 * bench/understanding-calibrate.ts, which read dev data only.
 */
import { DEFAULT_MIN_CONFIDENCE } from '../src/kb/confidence.ts';
import { Retriever } from '../src/kb/retriever.ts';
import type { Article } from '../src/kb/types.ts';
import { Bm25Baseline } from './kb-eval/bm25-baseline.ts';
import { f3, rankFigures, type RankFigures } from './kb-eval/metrics.ts';
import { loadThreads, stackfaqFile, toArticles, type Thread } from './kb-eval/stackfaq.ts';

const started = Date.now();
const { file, found } = stackfaqFile();
if (!found) {
  process.stdout.write(`eval:kb: the StackFAQ data set is not at ${file}.\nPut it there (../shared/datasets/stackfaq beside the repository) or set STACKFAQ_DIR; nothing evaluated.\n`);
  process.exit(0);
}
const threads = await loadThreads(file);
const queries = threads.flatMap((t) => t.test.map((q) => ({ expected: t.id, q })));
const threshold = Number(process.env.UNDERSTANDING_MIN_CONFIDENCE ?? process.env.KB_MIN_CONFIDENCE ?? DEFAULT_MIN_CONFIDENCE);
const args = process.argv.slice(2);
const ranker = args.includes('--ranker') && args[args.indexOf('--ranker') + 1] === 'lexical' ? 'lexical' : 'matcher';
const retriever = (articles: Article[]) => Retriever.build(articles, { defaultLocale: 'en', ranker });

async function parley(articles: Article[]): Promise<RankFigures> {
  const r = retriever(articles);
  const cases = [];
  for (const { expected, q } of queries) cases.push({ expected, ranked: (await r.search(q, { limit: 10 })).hits.map((h) => h.articleId) });
  return rankFigures(cases);
}

function baseline(articles: Article[]): RankFigures {
  const b = new Bm25Baseline(articles);
  return rankFigures(queries.map(({ expected, q }) => ({ expected, ranked: b.rank(q) })));
}

const withoutExamples = toArticles(threads);
const withExamples = toArticles(threads, (t) => t.dev);
const rows: Array<[string, RankFigures]> = [
  ['plain BM25, title + answers', baseline(withoutExamples)],
  [`Parley (${ranker}), title + answers`, await parley(withoutExamples)],
  ['plain BM25, + dev half as example questions', baseline(withExamples)],
  [`Parley (${ranker}), + dev half as example questions`, await parley(withExamples)],
];

const out: string[] = [];
out.push(`StackFAQ test half: ${queries.length} questions (rephr[6:11]) over ${threads.length} articles; never tuned on.`, '');
out.push('| retrieval | hit@1 | hit@5 | MRR |', '| --- | ---: | ---: | ---: |');
for (const [name, f] of rows) out.push(`| ${name} | ${f3(f.hit1)} | ${f3(f.hit5)} | ${f3(f.mrr)} |`);

/** A fifth of the articles (every fifth thread) left out; every test question asked. */
async function tradeOff(examples: boolean, at: number) {
  const present = threads.filter((_, i) => i % 5 !== 4);
  const r = retriever(toArticles(present, (t: Thread) => (examples ? t.dev : [])));
  const ids = new Set(present.map((t) => t.id));
  const tally = { missing: 0, missingAnswered: 0, present: 0, presentDeclined: 0, presentRight: 0, presentWrong: 0 };
  for (const { expected, q } of queries) {
    const { hits, confidence } = await r.search(q, { limit: 5 });
    const answered = hits.length > 0 && confidence >= at;
    if (!ids.has(expected)) {
      tally.missing++;
      if (answered) tally.missingAnswered++;
      continue;
    }
    tally.present++;
    if (!answered) tally.presentDeclined++;
    else if (hits[0]!.articleId === expected) tally.presentRight++;
    else tally.presentWrong++;
  }
  return tally;
}

out.push('', `Answer or decline, with a fifth of the articles (${threads.filter((_, i) => i % 5 === 4).length}) left out of the knowledge base; threshold ${threshold}:`, '');
out.push('| knowledge base | questions about missing articles answered (wrongly) | questions about present articles declined | present: answered right / wrong |', '| --- | ---: | ---: | ---: |');
for (const examples of [false, true]) {
  const t = await tradeOff(examples, threshold);
  const pct = (n: number, d: number) => `${n} of ${d} (${((100 * n) / d).toFixed(1)}%)`;
  out.push(`| ${examples ? 'with example questions' : 'title + answers'} | ${pct(t.missingAnswered, t.missing)} | ${pct(t.presentDeclined, t.present)} | ${t.presentRight} / ${t.presentWrong} |`);
}
out.push('', 'The same trade-off at other thresholds (with example questions):', '', '| threshold | missing answered | present declined | present answered wrong |', '| ---: | ---: | ---: | ---: |');
for (const at of [0.5, 0.65, 0.8]) {
  const t = await tradeOff(true, at);
  out.push(`| ${at} | ${f3(t.missingAnswered / t.missing)} | ${f3(t.presentDeclined / t.present)} | ${f3(t.presentWrong / t.present)} |`);
}
out.push('', `(${((Date.now() - started) / 1000).toFixed(1)} s, Node ${process.version})`);
process.stdout.write(`${out.join('\n')}\n`);
