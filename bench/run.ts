/**
 * Parley's benchmarks: `npm run bench` runs them all, `npm run bench -- <name> [<name> …]` runs some, and
 * `--quick` runs them with short durations and small sizes (a smoke run: do they work, roughly what do they show).
 * Each prints its own section of figures and ratios; none passes or fails on time.
 * To add one: write `bench/<name>.ts` exporting a `Benchmark` and list it below.
 */
import { cpus, totalmem } from 'node:os';
import { handoffBench } from './handoff.ts';
import { flowsCheck } from './flows-check.ts';
import { kbQuery } from './kb-query.ts';
import { kbReleases } from './kb-releases.ts';
import { kbVectors } from './kb-vectors.ts';
import { memoryBench } from './memory.ts';
import { profileBench } from './profile.ts';
import { studioPreview } from './studio-preview.ts';
import { webchatTurns } from './webchat-turns.ts';

export interface BenchOptions {
  /** `--quick`: short measurements and small sizes. */
  quick: boolean;
}

export interface Benchmark {
  /** What to type after `npm run bench --`. */
  name: string;
  /** One line: what is measured. */
  description: string;
  /** Runs the benchmark, printing its section to stdout (progress goes to stderr). */
  run(options: BenchOptions): Promise<void>;
}

const benchmarks: Benchmark[] = [webchatTurns, memoryBench, kbQuery, kbVectors, kbReleases, flowsCheck, handoffBench, profileBench, studioPreview];

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return `${cpu}, ${cpus().length} cores, ${memory}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((arg) => !arg.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    process.stdout.write(`Usage: npm run bench [-- [--quick] <name> …]\n\nBenchmarks:\n`);
    for (const b of benchmarks) process.stdout.write(`  ${b.name.padEnd(16)} ${b.description}\n`);
    return 0;
  }
  const unknown = names.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const unknownFlags = argv.filter((arg) => arg.startsWith('-') && arg !== '--quick');
  if (unknownFlags.length > 0) {
    process.stderr.write(`bench: unknown option ${unknownFlags.map((f) => `'${f}'`).join(', ')}; known: --quick, --list\n`);
    return 2;
  }
  const options: BenchOptions = { quick: argv.includes('--quick') };
  const selected = names.length > 0 ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
  process.stdout.write(`machine: ${machine()}\ndate: ${new Date().toISOString()}${options.quick ? '\nmode: --quick (smoke run; short measurements, small sizes)' : ''}\n`);
  for (const benchmark of selected) {
    const started = performance.now();
    process.stdout.write(`\n== ${benchmark.name}: ${benchmark.description}\n\n`);
    await benchmark.run(options);
    process.stdout.write(`\n(${benchmark.name} took ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
