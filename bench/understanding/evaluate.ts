/** Runs rankers over tasks and counts where the right document landed. */
import { Matcher, type Features, type MatcherOptions } from '../../src/search/matcher/index.ts';
import type { EvalSet, Task } from './data.ts';

export type Ranker = (query: string, locale: string) => string[];
/** Builds a ranker for a task's documents. */
export type Method = (task: Task) => Ranker;

export interface Figures {
  queries: number;
  hit1: number;
  hit5: number;
}

export function evaluate(tasks: readonly Task[], method: Method): Figures {
  let queries = 0;
  let hit1 = 0;
  let hit5 = 0;
  for (const task of tasks) {
    const rank = method(task);
    for (const q of task.queries) {
      // A document may appear once per language or passage: the first place of any of its ids counts.
      const ranked = [...new Set(rank(q.text, q.locale))];
      const at = ranked.findIndex((id) => q.expected.includes(id));
      queries++;
      if (at === 0) hit1++;
      if (at >= 0 && at < 5) hit5++;
    }
  }
  return { queries, hit1: hit1 / Math.max(1, queries), hit5: hit5 / Math.max(1, queries) };
}

/** The matcher, ranking by its model or by one raw feature (for the ablations). */
export function matcherMethod(options: Partial<MatcherOptions>, by: 'model' | number = 'model'): Method {
  return (task) => {
    const m = Matcher.build(task.docs, options);
    if (by === 'model') return (q, locale) => m.rank(q, { locale, limit: 20 }).map((s) => s.id);
    return (q, locale) => bestPerId(m.features(q, locale).map(({ id, features }) => ({ id, score: features[by]! })));
  };
}

/** Ids by their best score, ties by id. */
export function bestPerId(scored: ReadonlyArray<{ id: string; score: number }>): string[] {
  const best = new Map<string, number>();
  for (const { id, score } of scored) if (score > 0 && score > (best.get(id) ?? 0)) best.set(id, score);
  return [...best].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
}

/** Per dev query, every document's features and whether it is right (for fitting the model). */
export function devRows(set: EvalSet, options: Partial<MatcherOptions>, perSet: number): Array<{ features: Features; right: boolean; query: number }> {
  const rows: Array<{ features: Features; right: boolean; query: number }> = [];
  let query = 0;
  const dev = set.parts.filter((p) => p.tune).flatMap((p) => p.tasks);
  const all = dev.flatMap((task) => task.queries.map((q) => ({ task, q })));
  const step = Math.max(1, Math.floor(all.length / perSet));
  const matchers = new Map(dev.map((task) => [task, Matcher.build(task.docs, options)]));
  all.forEach(({ task, q }, i) => {
    if (i % step !== 0) return;
    const scored = matchers.get(task)!.features(q.text, q.locale);
    // The 30 best by BM25 plus the right one: what a re-ranker sees.
    const kept = [...scored].sort((a, b) => b.features[3] + b.features[0] - (a.features[3] + a.features[0])).slice(0, 30);
    for (const s of scored) if (q.expected.includes(s.id) && !kept.includes(s)) kept.push(s);
    for (const s of kept) rows.push({ features: s.features, right: q.expected.includes(s.id), query });
    query++;
  });
  return rows;
}
