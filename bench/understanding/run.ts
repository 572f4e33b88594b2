/**
 * `npm run eval:matcher`: the offline matcher (src/search/matcher) on every evaluation set that is present,
 * one table per set: each variant's figures on the dev side (what the settings were chosen on) and on the test side
 * (reported only), beside TF-IDF nearest neighbour and plain BM25 computed in the same run.
 */
import { DEFAULT_MATCHER_OPTIONS, type MatcherOptions } from '../../src/search/matcher/index.ts';
import { banking77, brightwave, stackfaq, type EvalSet, type Task } from './data.ts';
import { tfidfNearest, plainBm25 } from './baselines.ts';
import { evaluate, matcherMethod, type Method } from './evaluate.ts';
import { speed } from './speed.ts';
import { wordnetSynonyms } from './wordnet-source.ts';
import { customerServiceLexicon } from './customer-service-lexicon.ts';

const started = Date.now();
const words: Partial<MatcherOptions> = { charGrams: null, typos: false };
const variants: Array<[string, Method]> = [
  ['TF-IDF nearest neighbour (baseline)', (t) => tfidfNearest(t.docs)],
  ['plain BM25 (baseline)', (t) => plainBm25(t.docs)],
  ['stems, nearest field', matcherMethod(words, 0)],
  ['stems, top-3 mean', matcherMethod(words, 1)],
  ['stems, centroid', matcherMethod(words, 2)],
  ['stems, BM25F (field weights)', matcherMethod(words, 3)],
  ['+ char n-grams, nearest field', matcherMethod({ typos: false }, 0)],
  ['+ char n-grams, top-3 mean', matcherMethod({ typos: false }, 1)],
  ['+ char n-grams, centroid', matcherMethod({ typos: false }, 2)],
  ['+ char n-grams + typo correction, centroid', matcherMethod({}, 2)],
  ['linear model (all features)', matcherMethod({})],
];
variants.push(['linear model + customer-service lexicon', matcherMethod({ synonyms: customerServiceLexicon(0.3) })]);
if (process.env.MATCHER_WORDNET !== '0') {
  const synonyms = await wordnetSynonyms();
  if (synonyms) variants.push(['linear model + WordNet synonyms', matcherMethod({ synonyms })]);
}

const sets: Array<[string, EvalSet[] | null]> = [
  ['BANKING77 (../shared/datasets/banking77)', await banking77()],
  ['StackFAQ (../shared/datasets/stackfaq)', await stackfaq()],
  ['Brightwave (eval/brightwave/dev.jsonl)', await brightwave()],
];
const f3 = (x: number) => x.toFixed(3);
const out: string[] = [`Matcher model: [${DEFAULT_MATCHER_OPTIONS.model.join(', ')}]`];
for (const [source, list] of sets) {
  if (!list) {
    out.push('', `${source}: not found; skipped.`);
    continue;
  }
  // MATCHER_SETS / MATCHER_VARIANTS: run only sets or variants whose name contains the text (for quick looks).
  for (const set of list.filter((s) => s.name.includes(process.env.MATCHER_SETS ?? ''))) {
    const hits = set.metric === 'hits';
    const n = (tasks: readonly Task[]) => tasks.reduce((sum, t) => sum + t.queries.length, 0);
    out.push('', `${set.name}: ${set.parts.map((p) => `${p.label} ${n(p.tasks)} queries`).join(', ')}`, '');
    const head = set.parts.flatMap((p) => (hits ? [`${p.label} hit@1`, `${p.label} hit@5`] : [`${p.label} accuracy`]));
    out.push(`| method | ${head.join(' | ')} |`, `| --- |${head.map(() => ' ---: |').join('')}`);
    for (const [name, method] of variants.filter(([v]) => v.includes(process.env.MATCHER_VARIANTS ?? ''))) {
      const cells = set.parts.flatMap((p) => {
        const f = evaluate(p.tasks, method);
        return hits ? [f3(f.hit1), f3(f.hit5)] : [f3(f.hit1)];
      });
      out.push(`| ${name} | ${cells.join(' | ')} |`);
      process.stderr.write('.');
    }
  }
}
process.stderr.write('\n');
const timing = speed(sets[0]?.[1]?.[1], sets[1]?.[1]?.[0]);
if (timing) out.push('', timing);
out.push('', `(${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.stdout.write(out.join('\n') + '\n');
