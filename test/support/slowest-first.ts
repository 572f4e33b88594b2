import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** `<seconds> <path>` per line, slowest first: test/slowest-files.txt, made by scripts/slowest-tests.mjs from a run's JSON report. */
const listFile = path.resolve(import.meta.dirname, '../slowest-files.txt');

function secondsByFile(): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const line of readFileSync(listFile, 'utf8').split('\n')) {
    const match = /^\s*(\d+(?:\.\d+)?)\s+(\S+)\s*$/.exec(line);
    if (match) seconds.set(match[2]!, Number(match[1]));
  }
  return seconds;
}

/**
 * Starts the files that took longest last time first, so that three workers finish together rather than one running
 * a minute-long file alone at the end. Vitest's own order (the durations it cached, else the larger files first) has
 * no durations after `npm ci` empties node_modules, as in CI: it started the fault tests (under a minute each, but
 * small files) last. Files not in the list follow in Vitest's order.
 */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = secondsByFile();
    const secondsOf = (spec: TestSpecification) => seconds.get(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/')) ?? 0;
    const byVitest = await super.sort(files);
    const rank = new Map(byVitest.map((spec, i) => [spec, i]));
    return byVitest.sort((a, b) => secondsOf(b) - secondsOf(a) || rank.get(a)! - rank.get(b)!);
  }
}
