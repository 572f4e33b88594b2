/** Retrieval figures over queries whose right answer is one article id. */
export interface RankFigures {
  queries: number;
  hit1: number;
  hit5: number;
  mrr: number;
}

export function rankFigures(cases: ReadonlyArray<{ expected: string; ranked: readonly string[] }>): RankFigures {
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  for (const { expected, ranked } of cases) {
    const rank = ranked.indexOf(expected);
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 5) hit5++;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = Math.max(1, cases.length);
  return { queries: cases.length, hit1: hit1 / n, hit5: hit5 / n, mrr: rr / n };
}

export const f3 = (x: number) => x.toFixed(3);
