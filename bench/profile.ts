/**
 * Where a turn's CPU time goes: a real `parley start` process run with `--cpu-prof` under the web chat load (64
 * conversations asking the knowledge base, as in the webchat benchmark), on PGlite and on PostgreSQL. After a
 * graceful stop, the .cpuprofile is read and the samples taken during the load (start-up left out) are summed by
 * self time: per part (Parley's folders, each library, Node's internals, PGlite's WASM engine, GC) and per function.
 * The profiles are kept in a temp directory printed at the end, to open in Chrome DevTools or speedscope.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/support/server-process.ts';
import { closedLoop, figures, fmt, table } from './http-load.ts';
import type { Benchmark, BenchOptions } from './run.ts';
import { AnswerCheck, knowledgeQuestion, startParley, TURN_DESCRIPTION } from './webchat-turns.ts';

const CONCURRENCY = 64;
const TOP_PARTS = 14;
const TOP_FUNCTIONS = 15;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the program a function belongs to. */
export function partOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName.startsWith('(')) return functionName;
    // Socket writes (to PostgreSQL, Redis, the HTTP client) and file calls (PGlite's files) are worth telling apart.
    if (/^(writev|writeUtf8String|writeLatin1String|writeAsciiString|writeBuffer|writeUcs2String)$/.test(functionName)) return 'native socket writes';
    if (/^(fstat|open|close|read|write|stat|lstat|fsync|fdatasync|ftruncate|unlink|rename|readdir|lseek)(Sync)?$/.test(functionName)) return 'native file system calls';
    return 'native (V8 builtins, other)';
  }
  if (url.startsWith('wasm://')) return 'PGlite WASM engine';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, url.includes('internal/') ? 2 : 1).join('/')}`;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const rel = path.relative(repoRoot, file);
  if (rel.startsWith('..')) return file;
  const parts = rel.split(path.sep);
  const modules = parts.lastIndexOf('node_modules');
  if (modules >= 0) {
    const name = parts[modules + 1]!.startsWith('@') ? `${parts[modules + 1]}/${parts[modules + 2]}` : parts[modules + 1]!;
    return name === '@electric-sql/pglite' ? 'PGlite (JS side: emulated file system, protocol)' : name;
  }
  if (parts[0] === 'src' || parts[0] === 'adapters') return `Parley ${parts.slice(0, parts.length > 2 ? 2 : 1).join('/')}`;
  return `Parley ${parts[0]}`;
}

interface Summary {
  /** Milliseconds of samples during the load, by part and by function, idle left out. */
  parts: Map<string, number>;
  functions: Map<string, number>;
  busyMs: number;
  idleMs: number;
}

/** Sums self time of the samples taken from `fromMs` after the process started to `toMs`. */
export function summarize(profile: CpuProfile, fromMs: number, toMs: number): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let at = 0;
  let busyMs = 0;
  let idleMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += (profile.timeDeltas[i] ?? 0) / 1000;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < fromMs || at > toMs) continue;
    const frame = byId.get(profile.samples[i]!)!;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const part = partOf(frame);
    parts.set(part, (parts.get(part) ?? 0) + ms);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where} [${part}]`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
  }
  return { parts, functions, busyMs, idleMs };
}

function top(map: Map<string, number>, n: number, busyMs: number, turns: number): string[][] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => [name, `${fmt((100 * ms) / busyMs, 1)} %`, fmt(ms / turns, 3)]);
}

async function profileOne(database: 'pglite' | 'postgres', options: BenchOptions, dir: string): Promise<void> {
  const measureMs = options.quick ? 4_000 : 15_000;
  const profileDir = path.join(dir, database);
  const parley = await startParley({ database, processes: 1, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
  const check = new AnswerCheck();
  let loadFrom = 0;
  let loadTo = 0;
  let turns = 0;
  const spawnedAt = parley.servers[0]!.spawnedAt;
  try {
    // Warm-up, then the measured load; only the measured part's samples are summed.
    await closedLoop({ targets: parley.urls, concurrency: CONCURRENCY, warmupMs: 1_000, measureMs: 1_000, text: knowledgeQuestion });
    loadFrom = performance.now() - spawnedAt;
    const result = figures(await closedLoop({ targets: parley.urls, concurrency: CONCURRENCY, warmupMs: 0, measureMs, text: knowledgeQuestion, inspect: check.inspect }));
    loadTo = performance.now() - spawnedAt;
    turns = (result.perSecond * (loadTo - loadFrom)) / 1000;
    process.stdout.write(`${database}: ${fmt(result.perSecond)} turns/s at ${CONCURRENCY} conversations, p50 ${fmt(result.p50)} ms, while profiling; ${check}.\n`);
  } finally {
    await parley.stop();
  }
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${profileDir} (did the server exit gracefully?)`);
  const profile = JSON.parse(readFileSync(path.join(profileDir, files[0]!), 'utf8')) as CpuProfile;
  const summary = summarize(profile, loadFrom, loadTo);
  const cpuPerTurn = summary.busyMs / turns;
  process.stdout.write(
    `main thread busy ${fmt((100 * summary.busyMs) / (summary.busyMs + summary.idleMs))} % of the load window; ` +
      `${fmt(cpuPerTurn, 2)} ms of main-thread CPU per turn\n\nBy part (self time):\n\n` +
      `${table([['part', 'share of busy time', 'ms per turn'], ...top(summary.parts, TOP_PARTS, summary.busyMs, turns)])}\n\n` +
      `Hottest functions (self time):\n\n` +
      `${table([['function', 'share of busy time', 'ms per turn'], ...top(summary.functions, TOP_FUNCTIONS, summary.busyMs, turns)])}\n\n` +
      `profile: ${path.join(profileDir, files[0]!)}\n\n`,
  );
}

async function run(options: BenchOptions): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-profile-'));
  process.stdout.write(`Each turn: ${TURN_DESCRIPTION}.\n${CONCURRENCY} conversations, closed loop; samples from the measured load only.\n\n`);
  for (const database of ['pglite', 'postgres'] as const) await profileOne(database, options, dir);
}

export const profileBench: Benchmark = {
  name: 'profile',
  description: `CPU profile (--cpu-prof) of a server under web chat load (${CONCURRENCY} conversations): what dominates a turn, PGlite and PostgreSQL`,
  run,
};
