/**
 * The evaluation sets as matcher documents and queries, each with a dev side (tuning) and a test side (reporting).
 * Data is read from where it lies (../shared/datasets beside the repository, or eval/ in it), never copied.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadKnowledge } from '../../src/kb/load.ts';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { MatchDoc, MatchField } from '../../src/search/matcher/index.ts';
import { language } from '../../src/search/matcher/text.ts';
import { loadThreads, repoRoot, stackfaqFile, type Thread } from '../kb-eval/stackfaq.ts';

export interface Query {
  text: string;
  locale: string;
  /** Any of these ids is right. */
  expected: string[];
}

/** One way to evaluate: documents and the queries asked against them. */
export interface Task {
  docs: MatchDoc[];
  queries: Query[];
}

/** A column of figures: one or more tasks (several when documents differ per fold) whose queries are pooled. */
export interface Part {
  label: string;
  tasks: Task[];
  /** Whether settings may be chosen by looking at this part. */
  tune: boolean;
}

export interface EvalSet {
  name: string;
  /** hit@1 only (accuracy), or hit@1 and hit@5. */
  metric: 'accuracy' | 'hits';
  parts: Part[];
}

const devTest = (dev: Task[], test: Task[]): Part[] => [
  { label: 'dev', tasks: dev, tune: true },
  { label: 'test', tasks: test, tune: false },
];

export const datasetsDir = process.env.DATASETS_DIR ? path.resolve(process.env.DATASETS_DIR) : path.resolve(repoRoot, '../shared/datasets');

/** Minimal CSV (RFC 4180 quoting). */
export function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

const intentDoc = (intent: string, examples: readonly string[]): MatchDoc => ({
  id: intent,
  locale: 'en',
  fields: examples.map((text) => ({ kind: 'example', text })),
});

/** BANKING77, 10-shot and full; null when the data set is absent. */
export async function banking77(): Promise<EvalSet[] | null> {
  const dir = path.join(datasetsDir, 'banking77');
  if (!existsSync(path.join(dir, 'train.csv'))) return null;
  const read = async (name: string) => (await parseCsv(await readFile(path.join(dir, name), 'utf8'))).slice(1).map(([text, intent]) => ({ text: text!, intent: intent! }));
  const train = await read('train.csv');
  const test = await read('test.csv');
  const byIntent = new Map<string, string[]>();
  for (const { text, intent } of train) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const intents = [...byIntent.keys()].sort();
  const testQueries = test.map(({ text, intent }) => ({ text, locale: 'en', expected: [intent] }));
  const docs = (pick: (examples: string[]) => string[]) => intents.map((i) => intentDoc(i, pick(byIntent.get(i)!)));
  // 10-shot dev: up to 20 other train messages per intent (every later one, spread evenly), against the same 10.
  const shotDev = intents.flatMap((i) => {
    const rest = byIntent.get(i)!.slice(10);
    const step = Math.max(1, Math.floor(rest.length / 20));
    return rest.filter((_, k) => k % step === 0).slice(0, 20).map((text) => ({ text, locale: 'en', expected: [i] }));
  });
  // Full dev: every tenth train message of each intent held out, the rest as examples.
  const fullDev = intents.flatMap((i) => byIntent.get(i)!.filter((_, k) => k % 10 === 9).map((text) => ({ text, locale: 'en', expected: [i] })));
  return [
    {
      name: 'BANKING77, 10 examples per intent',
      metric: 'accuracy',
      parts: devTest([{ docs: docs((e) => e.slice(0, 10)), queries: shotDev }], [{ docs: docs((e) => e.slice(0, 10)), queries: testQueries }]),
    },
    {
      name: 'BANKING77, all train examples',
      metric: 'accuracy',
      parts: devTest([{ docs: docs((e) => e.filter((_, k) => k % 10 !== 9)), queries: fullDev }], [{ docs: docs((e) => e), queries: testQueries }]),
    },
  ];
}

const threadDoc = (t: Thread, questions: readonly string[]): MatchDoc => ({
  id: t.id,
  locale: 'en',
  fields: [{ kind: 'title', text: t.title }, ...questions.map((text): MatchField => ({ kind: 'question', text })), ...t.answers.map((text): MatchField => ({ kind: 'text', text }))],
});

/** StackFAQ without and with example questions; null when absent. */
export async function stackfaq(): Promise<EvalSet[] | null> {
  const { file, found } = stackfaqFile();
  if (!found) return null;
  const threads = await loadThreads(file);
  const ask = (pick: (t: Thread) => string[]) => threads.flatMap((t) => pick(t).map((text) => ({ text, locale: 'en', expected: [t.id] })));
  const plain = threads.map((t) => threadDoc(t, []));
  // With examples, dev is leave-one-out by position: the rephrasing at position k is asked against threads that
  // carry their other dev rephrasings as example questions.
  const folds = [0, 1, 2, 3, 4].map((k) => ({
    docs: threads.map((t) => threadDoc(t, t.dev.filter((_, i) => i !== k))),
    queries: ask((t) => (t.dev[k] === undefined ? [] : [t.dev[k]!])),
  }));
  return [
    { name: 'StackFAQ, title + answers', metric: 'hits', parts: devTest([{ docs: plain, queries: ask((t) => t.dev) }], [{ docs: plain, queries: ask((t) => t.test) }]) },
    {
      name: 'StackFAQ, + dev half as example questions',
      metric: 'hits',
      parts: devTest(folds, [{ docs: threads.map((t) => threadDoc(t, t.dev)), queries: ask((t) => t.test) }]),
    },
  ];
}

interface LabelledLine {
  text: string;
  locale?: string;
  expect: string[];
}

/**
 * The Brightwave labelled set's dev half (eval/brightwave/dev.jsonl; its test half is the understanding step's to
 * report) against flows/ and knowledge/: one document per flow per language, one per knowledge passage. An article
 * with no translation into a query's language is a document in that language too (found through product names and
 * the words both languages share). Only messages whose right outcome includes a flow or an article are asked:
 * "decline" and built-in commands are the decision's job, not the ranking's. Null when the file is absent.
 */
export async function brightwave(): Promise<EvalSet[] | null> {
  const devFile = path.join(repoRoot, 'eval/brightwave/dev.jsonl');
  if (!existsSync(devFile)) return null;
  const lines = (await readFile(devFile, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelledLine);
  const flows = await loadFlows(path.join(repoRoot, 'flows'));
  const { articles } = await loadKnowledge(path.join(repoRoot, 'knowledge'));
  const locales = [...new Set(lines.map((l) => language(l.locale ?? 'en')))].sort();
  const flowFields = [...flows.flows.values()].map((flow) => ({
    id: `flow:${flow.name}`,
    fields: [
      ...(flow.description ? [{ kind: 'description' as const, text: flow.description }] : []),
      ...(flow.triggers?.keywords ?? []).map((text): MatchField => ({ kind: 'keyword', text })),
      ...(flow.triggers?.examples ?? []).map((text): MatchField => ({ kind: 'example', text })),
    ],
  }));
  const passageDocs = (locale: string) =>
    articles
      .filter((a) => language(a.locale) === locale || !articles.some((b) => b.id === a.id && language(b.locale) === locale))
      .flatMap((a) =>
        a.passages.map((p) => ({
          id: `article:${a.id}`,
          locale,
          fields: [
            { kind: 'title', text: p.title },
            ...p.questions.map((text): MatchField => ({ kind: 'question', text })),
            ...(p.heading ? [{ kind: 'heading' as const, text: p.heading }] : []),
            { kind: 'text', text: p.text },
          ] satisfies MatchField[],
        })),
      );
  const docs: MatchDoc[] = locales.flatMap((locale) => [...flowFields.filter((f) => f.fields.length > 0).map((f) => ({ ...f, locale })), ...passageDocs(locale)]);
  const ranked = lines.filter((l) => l.expect.some((e) => e.startsWith('flow:') || e.startsWith('article:')));
  const parts = locales.map((locale) => ({
    label: `dev.jsonl ${locale}`,
    tune: false,
    tasks: [{ docs, queries: ranked.filter((l) => language(l.locale ?? 'en') === locale).map((l) => ({ text: l.text, locale, expected: l.expect })) }],
  }));
  return [{ name: 'Brightwave dev half (flows + knowledge; not tuned on)', metric: 'accuracy', parts }];
}
