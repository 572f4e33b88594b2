import { describe, expect, it } from 'vitest';
import { batched } from '../../src/infra/batch.ts';

/** A runAll that records each batch and answers every key with its double, after `release()` when held. */
function doubler() {
  const batches: number[][] = [];
  let held: (() => void)[] | undefined;
  const run = batched(async (keys: number[]) => {
    batches.push(keys);
    if (held) await new Promise<void>((resolve) => held!.push(resolve));
    if (keys.includes(13)) throw new Error('unlucky');
    return new Map(keys.map((k) => [k, k * 2]));
  }, { maxSize: 4 });
  return {
    run, batches,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

describe('batched: calls made together run as one', () => {
  it('runs the calls of one synchronous run as one batch, each caller getting its own result', async () => {
    const d = doubler();
    expect(await Promise.all([d.run(1), d.run(2), d.run(2), d.run(3)])).toEqual([2, 4, 4, 6]);
    expect(d.batches).toEqual([[1, 2, 3]]);
  });

  it('collects the calls made while a batch runs into the next one, at most maxSize keys each', async () => {
    const d = doubler();
    d.hold();
    const first = d.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [5, 6, 7, 8, 9, 10].map((k) => d.run(k));
    d.release();
    expect(await first).toBe(2);
    expect(await Promise.all(later)).toEqual([10, 12, 14, 16, 18, 20]);
    expect(d.batches).toEqual([[1], [5, 6, 7, 8], [9, 10]]);
  });

  it('fails every caller of a failed batch, and the next batch runs', async () => {
    const d = doubler();
    const results = await Promise.allSettled([d.run(12), d.run(13)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await d.run(14)).toBe(28);
  });

  it('answers undefined for a key the batch has no result for', async () => {
    const run = batched(async () => new Map<string, number>());
    expect(await run('missing')).toBeUndefined();
  });
});
