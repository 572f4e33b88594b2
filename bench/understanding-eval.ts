/**
 * `npm run eval:understanding [-- --set dev|test|fresh] [--brightwave-only] [--banking77] [--all]`: how well Parley understands customers.
 *
 * - The Brightwave set (eval/brightwave, written for the demo shop, English and German): every message decided as
 *   the turn pipeline decides a first message: by the understanding step, which ranks Parley's own requests (STOP,
 *   "delete my data", "link my WhatsApp", "message me on WhatsApp instead", asking for a person) with the flows
 *   and articles; a request goes to the hook that acts on it (asking for a person: the demo's `human` flow). Accuracy and confidently wrong outcomes (a wrong flow or article above the threshold) per
 *   language, and a confusion table of the misses. Tune on `--set dev` (the default), report on `--set test`;
 *   `--set fresh` is a small set written later and never tuned on (eval/brightwave/README.md).
 * - BANKING77 (../shared/datasets/banking77, or BANKING77_DIR), with `--banking77`: the 77 intents as flows whose
 *   examples are the first 10 train messages of each (and then all of them), an empty knowledge base, each test
 *   message decided through `parley route` as a separate process; a decline counts as wrong.
 * - StackFAQ (../shared/datasets/stackfaq, or STACKFAQ_DIR), when it is there: the answer-or-decline trade-off as a
 *   customer meets it, through the understanding step with the sentence encoder (not the knowledge base's own
 *   ranking, which `npm run eval:kb` measures): a fifth of the threads left out of the knowledge base, each question
 *   of the half (`--set`) decided; a question about a missing thread that is answered is confidently wrong.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_INTENTS } from '../src/built-in-intents.ts';
import { loadFlows } from '../src/engine/load-flows.ts';
import { DEFAULT_MIN_CONFIDENCE } from '../src/kb/confidence.ts';
import { loadKnowledge } from '../src/kb/load.ts';
import { Understander } from '../src/understanding/understander.ts';
import { brightwaveHalf } from './understanding/brightwave-half.ts';
import { UniversalSentenceEncoder } from '../src/understanding/meaning/sentence-encoder.ts';
import { loadThreads, stackfaqFile, toArticles } from './kb-eval/stackfaq.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const setName = args.includes('--set') ? args[args.indexOf('--set') + 1]! : 'dev';
const threshold = Number(process.env.UNDERSTANDING_MIN_CONFIDENCE ?? DEFAULT_MIN_CONFIDENCE);


/** How the labelled set names Parley's own requests; asking for a person is answered by the demo's `human` flow. */
function labelOfIntent(name: string): string {
  return name === 'person' ? 'flow:human' : `intent:${name}`;
}

async function brightwave(): Promise<void> {
  const items = await brightwaveHalf(setName);
  const flows = await loadFlows(path.join(root, 'flows'));
  const knowledge = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
  const ranker = process.env.UNDERSTANDING_RANKER === 'lexical' ? 'lexical' : process.env.UNDERSTANDING_RANKER === 'matcher' ? 'matcher' : undefined;
  const understander = new Understander({
    minConfidence: threshold, intents: BUILT_IN_INTENTS, knowledge: () => ({ version: 'eval', articles: knowledge.articles }), ...(ranker ? { ranker } : {}),
    ...(process.env.UNDERSTANDING_ENCODER === 'off' ? {} : { encoder: new UniversalSentenceEncoder() }),
  });
  const tally = new Map<string, { n: number; right: number; confidentlyWrong: number; rankedFirst: number }>();
  const misses = new Map<string, number>();
  const missLines: string[] = [];
  for (const item of items) {
    const { decision, candidates, intent } = await understander.understand(flows, item.text, { locale: item.locale });
    let outcome: string;
    let confidence = 1;
    let first: string | undefined;
    if (intent) ({ outcome, confidence } = { outcome: labelOfIntent(intent.name), confidence: intent.confidence });
    else {
      const top = candidates[0];
      first = decision.kind === 'decline' ? (top ? `${top.kind === 'flow' ? 'flow' : 'article'}:${top.id}` : 'decline') : undefined;
      confidence = decision.confidence;
      outcome = decision.kind === 'flow' ? `flow:${decision.flow}` : decision.kind === 'knowledge' ? `article:${decision.article}` : 'decline';
    }
    const right = item.expect.includes(outcome);
    const rankedFirst = right || (first !== undefined && item.expect.includes(first));
    for (const key of [item.locale, 'all']) {
      const t = tally.get(key) ?? { n: 0, right: 0, confidentlyWrong: 0, rankedFirst: 0 };
      t.n += 1;
      if (right) t.right += 1;
      if (rankedFirst) t.rankedFirst += 1;
      else if (outcome !== 'decline' && confidence >= threshold) t.confidentlyWrong += 1;
      tally.set(key, t);
    }
    if (!right) {
      const key = `${item.expect.join(' | ')}  →  ${outcome}`;
      misses.set(key, (misses.get(key) ?? 0) + 1);
      if (process.env.EVAL_VERBOSE) missLines.push(`  ${JSON.stringify(item.text)} (${item.locale}) expected ${item.expect.join('|')} got ${outcome} @${confidence}`);
    }
  }
  const out: string[] = [`Brightwave ${setName} half: ${items.length} messages, threshold ${threshold}`, '', '| language | messages | right | accuracy | confidently wrong | right one ranked first |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const key of ['en', 'de', 'all']) {
    const t = tally.get(key);
    if (t) out.push(`| ${key} | ${t.n} | ${t.right} | ${(t.right / t.n).toFixed(3)} | ${t.confidentlyWrong} | ${(t.rankedFirst / t.n).toFixed(3)} |`);
  }
  out.push('', 'Misses (expected → decided), most frequent first:', '| expected | decided | count |', '| --- | --- | ---: |');
  for (const [key, count] of [...misses].sort((a, b) => b[1] - a[1])) {
    const [expected, decided] = key.split('  →  ');
    out.push(`| ${expected} | ${decided} | ${count} |`);
  }
  process.stdout.write(`${out.join('\n')}\n${missLines.join('\n')}\n\n`);
}

function banking77Dir(): string {
  return process.env.BANKING77_DIR ?? path.resolve(root, '../shared/datasets/banking77');
}

function parseCsv(text: string): Array<{ text: string; category: string }> {
  const rows: Array<{ text: string; category: string }> = [];
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),(.*)$/.exec(line.trim());
    if (m) rows.push({ text: (m[1] ?? m[2] ?? '').replace(/""/g, '"'), category: m[3]!.trim() });
  }
  return rows;
}

async function routeAll(flowsDir: string, kbDir: string, texts: string[]): Promise<Array<{ kind: string; flow: string | null }>> {
  const ranker = process.env.UNDERSTANDING_RANKER ? ['--ranker', process.env.UNDERSTANDING_RANKER] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin/parley.js'), 'route', '--flows', flowsDir, '--kb', kbDir, ...ranker], {
    cwd: root, env: { ...process.env, PARLEY_FROM_SOURCES: '1', LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(texts.map((t) => `${JSON.stringify({ text: t, locale: 'en' })}\n`).join(''));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`parley route exited ${code}`);
  return output.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { kind: string; flow: string | null });
}

async function banking77(): Promise<void> {
  const dir = banking77Dir();
  if (!existsSync(path.join(dir, 'train.csv'))) {
    process.stdout.write(`BANKING77 is not at ${dir} (set BANKING77_DIR); not evaluated.\n`);
    return;
  }
  const train = parseCsv(await readFile(path.join(dir, 'train.csv'), 'utf8'));
  const test = parseCsv(await readFile(path.join(dir, 'test.csv'), 'utf8'));
  const byIntent = new Map<string, string[]>();
  for (const row of train) byIntent.set(row.category, [...(byIntent.get(row.category) ?? []), row.text]);
  for (const [label, perIntent] of [['10 examples per intent', 10], ['all train examples', Infinity]] as const) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-b77-'));
    try {
      await mkdir(path.join(tmp, 'flows'));
      await mkdir(path.join(tmp, 'kb'));
      // Flow names are letters, digits, _ and -: "reverted_card_payment?" becomes "reverted_card_payment_".
      const flowName = (intent: string) => intent.replace(/[^A-Za-z0-9_-]/g, '_');
      for (const [intent, examples] of byIntent) {
        const yaml = [`flow: ${flowName(intent)}`, 'triggers:', '  examples:', ...examples.slice(0, perIntent).map((e) => `    - ${JSON.stringify(e)}`), 'steps:', '  - end: true', ''].join('\n');
        await writeFile(path.join(tmp, 'flows', `${flowName(intent)}.yaml`), yaml);
      }
      const started = Date.now();
      const decided = await routeAll(path.join(tmp, 'flows'), path.join(tmp, 'kb'), test.map((r) => r.text));
      const right = decided.filter((d, i) => d.kind === 'flow' && d.flow === flowName(test[i]!.category)).length;
      const declined = decided.filter((d) => d.kind === 'decline').length;
      process.stdout.write(`BANKING77 test, ${label}: accuracy ${(right / test.length).toFixed(3)} (${right}/${test.length}; ${declined} declined) through parley route in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

async function stackfaq(): Promise<void> {
  const { file, found } = stackfaqFile();
  if (!found) {
    process.stdout.write(`StackFAQ is not at ${file} (set STACKFAQ_DIR); its answer-or-decline trade-off is not evaluated.\n`);
    return;
  }
  const threads = await loadThreads(file);
  const present = threads.filter((_, i) => i % 5 !== 4);
  const articles = toArticles(present);
  const ids = new Set(present.map((t) => t.id));
  const none = await mkdtemp(path.join(os.tmpdir(), 'parley-no-flows-'));
  try {
    const flows = await loadFlows(none);
    const understander = new Understander({
      minConfidence: threshold, knowledge: () => ({ version: 'stackfaq', articles }),
      ...(process.env.UNDERSTANDING_ENCODER === 'off' ? {} : { encoder: new UniversalSentenceEncoder() }),
    });
    const t = { missing: 0, missingAnswered: 0, present: 0, declined: 0, right: 0, wrong: 0 };
    for (const thread of threads) {
      for (const question of setName === 'test' ? thread.test : thread.dev) {
        const { decision } = await understander.understand(flows, question, { locale: 'en' });
        const answered = decision.kind === 'knowledge' ? decision.article : undefined;
        if (!ids.has(thread.id)) {
          t.missing += 1;
          if (answered) t.missingAnswered += 1;
          continue;
        }
        t.present += 1;
        if (!answered) t.declined += 1;
        else if (answered === thread.id) t.right += 1;
        else t.wrong += 1;
      }
    }
    const share = (n: number, d: number) => `${n} of ${d} (${((100 * n) / d).toFixed(1)} %)`;
    process.stdout.write([
      `StackFAQ ${setName} half through the understanding step (title + answers, ${threads.length - present.length} of ${threads.length} threads left out), threshold ${threshold}:`, '',
      '| questions about missing threads answered | questions about present threads declined | present: answered right / wrong | confidently wrong in all |',
      '| ---: | ---: | ---: | ---: |',
      `| ${share(t.missingAnswered, t.missing)} | ${share(t.declined, t.present)} | ${t.right} / ${t.wrong} | ${t.missingAnswered + t.wrong} |`, '', '',
    ].join('\n'));
  } finally {
    await rm(none, { recursive: true, force: true });
  }
}

await brightwave();
// StackFAQ has a dev and a test half only; the Brightwave `fresh` set has no counterpart there.
if ((setName === 'dev' || setName === 'test') && !args.includes('--brightwave-only')) await stackfaq();
if (args.includes('--banking77') || args.includes('--all')) await banking77();
