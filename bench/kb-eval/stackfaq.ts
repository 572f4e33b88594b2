/**
 * The StackFAQ data set (see ../shared/datasets/stackfaq/README.md) as Parley articles. It is read from where it
 * lies, never copied into the project. dev half = rephr[0:5] (tuning, example questions); test half =
 * rephr[6:11] (queries for reported figures only).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from '../../src/kb/types.ts';

export interface Thread {
  id: string;
  title: string;
  answers: string[];
  dev: string[];
  test: string[];
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the data set is: `STACKFAQ_DIR`, else ../shared/datasets/stackfaq beside the repository; null when absent. */
export function stackfaqFile(env: Record<string, string | undefined> = process.env): { file: string; found: boolean } {
  const dir = env.STACKFAQ_DIR ? path.resolve(env.STACKFAQ_DIR) : path.resolve(repoRoot, '../shared/datasets/stackfaq');
  const file = path.join(dir, 'stackExchange-FAQ.json');
  return { file, found: existsSync(file) };
}

interface RawPair {
  question: string;
  answer: string | Array<string | null>;
  rephr: Array<string | null>;
}

export async function loadThreads(file: string): Promise<Thread[]> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as { root: { qapair: RawPair[] } };
  const clean = (list: Array<string | null | undefined>) => list.filter((s): s is string => typeof s === 'string' && s.trim() !== '' && s !== '*');
  return raw.root.qapair.map((pair, i) => ({
    id: `t${String(i).padStart(3, '0')}`,
    title: pair.question,
    answers: clean(Array.isArray(pair.answer) ? pair.answer : [pair.answer]),
    dev: clean(pair.rephr.slice(0, 5)),
    test: clean(pair.rephr.slice(6, 11)),
  }));
}

/** Threads as FAQ-style articles (one passage: the answers); `questions` picks each thread's example questions. */
export function toArticles(threads: readonly Thread[], questions: (thread: Thread) => string[] = () => []): Article[] {
  return threads.map((t) => {
    const qs = questions(t);
    return {
      id: t.id,
      title: t.title,
      questions: qs,
      tags: [],
      locale: 'en',
      file: 'stackfaq',
      passages: [
        { id: `${t.id}#0`, articleId: t.id, title: t.title, heading: null, questions: qs, tags: [], locale: 'en', text: t.answers.join('\n\n'), file: 'stackfaq', line: 1 },
      ],
    };
  });
}
