/**
 * Parley Studio's waits, on the demo's flows and knowledge as a draft set: the first preview of a set (the files
 * written out, the knowledge base indexed, the flows loaded, the simulator's in-memory database started and the
 * greeting), a preview turn after it, and running every conversation test from the page (on the preview's own
 * simulator, so no second database starts). Each is measured in a fresh StudioPreview, RUNS times; the median is
 * printed beside `parley flows test` over the same files, the command an editor without the studio runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/infra/logger.ts';
import { readFileSet } from '../src/studio/file-set.ts';
import { StudioPreview } from '../src/studio/preview.ts';
import type { Benchmark } from './run.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export const studioPreview: Benchmark = {
  name: 'studio-preview',
  description: "Parley Studio: the first preview of a draft set, a turn after it, and the conversation tests run from the page",
  async run({ quick }) {
    const runs = quick ? 1 : 5;
    const files = await readFileSet({ flows: path.join(repoRoot, 'flows'), knowledge: path.join(repoRoot, 'knowledge') });
    const first: number[] = [];
    const turn: number[] = [];
    const tests: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-studio-'));
      const preview = new StudioPreview({ dataDir, minConfidence: 0.5, demoOrders: true, logger: createLogger({ level: 'silent', redact: true }) });
      try {
        first.push((await timed(() => preview.turn('bench', files, { conversationId: 'c' })))[0]);
        turn.push((await timed(() => preview.turn('bench', files, { conversationId: 'c', text: 'when are you open?' })))[0]);
        const [ms, outcomes] = await timed(() => preview.runTests(files));
        if (outcomes.some((file) => file.problems.length > 0 || file.tests.some((test) => test.failure))) throw new Error('a demo conversation test failed');
        tests.push(ms);
      } finally {
        await preview.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const cli = median(Array.from({ length: runs }, () => {
      const started = performance.now();
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'test'], { cwd: repoRoot, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`parley flows test failed: ${result.stderr}`);
      return performance.now() - started;
    }));
    const ms = (value: number) => `${Math.round(value)} ms`;
    process.stdout.write([
      `first preview of a draft set   ${ms(median(first))}  (median of ${runs})`,
      `a preview turn after it        ${ms(median(turn))}`,
      `every conversation test        ${ms(median(tests))}  (parley flows test: ${ms(cli)}, ratio ${(median(tests) / cli).toFixed(2)})`,
      '',
    ].join('\n'));
  },
};
