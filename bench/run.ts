/**
 * Parley's benchmarks: `npm run bench` runs them all, `npm run bench -- <name> [<name> …]` runs some.
 * Each prints its own section of figures and ratios; none passes or fails on time.
 * To add one: write `bench/<name>.ts` exporting a `Benchmark` and list it below.
 */
import { cpus, totalmem } from 'node:os';
import { handoffBench } from './handoff.ts';
import { flowsCheck } from './flows-check.ts';
import { kbQuery } from './kb-query.ts';
import { webchatTurns } from './webchat-turns.ts';

export interface Benchmark {
  /** What to type after `npm run bench --`. */
  name: string;
  /** One line: what is measured. */
  description: string;
  /** Runs the benchmark, printing its section to stdout. */
  run(): Promise<void>;
}

const benchmarks: Benchmark[] = [webchatTurns, flowsCheck, kbQuery, handoffBench];

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return `${cpu}, ${cpus().length} cores, ${memory}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((arg) => !arg.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    process.stdout.write(`Usage: npm run bench [-- <name> …]\n\nBenchmarks:\n`);
    for (const b of benchmarks) process.stdout.write(`  ${b.name.padEnd(16)} ${b.description}\n`);
    return 0;
  }
  const unknown = names.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const selected = names.length > 0 ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
  process.stdout.write(`machine: ${machine()}\ndate: ${new Date().toISOString()}\n`);
  for (const benchmark of selected) {
    process.stdout.write(`\n== ${benchmark.name}: ${benchmark.description}\n\n`);
    await benchmark.run();
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
