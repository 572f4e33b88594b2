/**
 * Full bot turns through `POST /api/webchat/messages` on real `parley start` processes, beside a bare Node `http`
 * process answering the same requests with a constant JSON reply, under the same closed-loop load (bench/http-load.ts)
 * at 1, 64 and 512 concurrent conversations. Three set-ups: one process on PGlite (the embedded default), one process
 * on PostgreSQL, and two processes sharing Redis and PostgreSQL with the client spreading turns over both (PGlite
 * cannot be shared between processes: one process owns its data directory).
 *
 * Every turn is a knowledge-base question: inbox (dedupe, customer, conversation, lock, persist) → engine (no flow
 * matches, so the fallback flow's `answer` step) → knowledge base (retrieval, extractive answer with its source) →
 * commit of state and replies → outbox (delivered to the web channel over Redis pub/sub, marked sent).
 */
import { randomUUID } from 'node:crypto';
import { dropPrefix } from '../test/handoff/support.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { removeDataDir, startServerProcess, type ServerProcess } from '../test/support/server-process.ts';
import { LENIENT_WEBCHAT_ENV } from '../test/support/webchat-env.ts';
import { closedLoop, figures, fmt, openLoop, startBareServer, table, type BareServer, type Figures } from './http-load.ts';
import { pgbenchTurns } from './pgbench-turns.ts';
import type { Benchmark, BenchOptions } from './run.ts';

/** `WEBCHAT_BENCH_CONCURRENCY=1,64` and `WEBCHAT_BENCH_SETUPS=postgres,postgres-2` run a part (e.g. on a busy machine). */
const CONCURRENCY = (process.env.WEBCHAT_BENCH_CONCURRENCY ?? '1,64,512').split(',').map(Number);
/** The concurrency at which Parley's turns are compared with pgbench's turn-shaped transactions (issue 19). */
const PGBENCH_CLIENTS = 64;

/**
 * Questions the demo knowledge base answers with confidence, none of which a flow's trigger catches, none repeated
 * within five turns (the handoff hooks would count a repeat as frustration).
 */
export const KNOWLEDGE_QUESTIONS = [
  'how long does the battery of the headphones last',
  'Do you sell chargers?',
  'Should I buy headphones or a speaker?',
  'how do I pair the Wave 700 headphones',
  'do you price match',
  'which payment methods do you accept',
  'can I get an invoice with VAT',
  'how do I change my password',
];

export const TURN_DESCRIPTION =
  'a knowledge-base question (no flow trigger matches → fallback flow → answer step → knowledge base → reply with its source, ' +
  'state and replies committed → outbox delivers to the web channel and marks them sent)';

/** What each worker asks as its turn i: the questions in order, each worker starting at its own place. */
export const knowledgeQuestion = (turn: number, worker: number) => KNOWLEDGE_QUESTIONS[(turn + worker) % KNOWLEDGE_QUESTIONS.length]!;

export interface Durations {
  warmupMs: number;
  measureMs: number;
}

export const durations = (quick: boolean): Durations => (quick ? { warmupMs: 500, measureMs: 2_000 } : { warmupMs: 2_000, measureMs: 10_000 });

interface Setup {
  key: 'pglite' | 'postgres' | 'postgres-2';
  name: string;
  database: 'pglite' | 'postgres';
  processes: number;
}

const ALL_SETUPS: Setup[] = [
  { key: 'pglite', name: '1 process, PGlite (embedded default)', database: 'pglite', processes: 1 },
  { key: 'postgres', name: '1 process, PostgreSQL', database: 'postgres', processes: 1 },
  { key: 'postgres-2', name: '2 processes, PostgreSQL + Redis shared, turns round-robin', database: 'postgres', processes: 2 },
];
const SETUPS = ALL_SETUPS.filter((s) => (process.env.WEBCHAT_BENCH_SETUPS ?? 'pglite,postgres,postgres-2').split(',').includes(s.key));

export interface ParleyCluster {
  urls: string[];
  servers: ServerProcess[];
  stop(): Promise<void>;
}

/**
 * Starts `processes` Parley servers on one database (a fresh PostgreSQL database, dropped on stop, or PGlite for a
 * single process) and the local Redis, under a handoff prefix of their own (removed on stop).
 */
export async function startParley(options: { database: 'pglite' | 'postgres'; processes: number; env?: Record<string, string>; nodeArgs?: string[] }): Promise<ParleyCluster> {
  if (options.database === 'pglite' && options.processes > 1) throw new Error('PGlite cannot be shared between processes');
  const prefix = `{parley-bench-${randomUUID().slice(0, 8)}}`;
  const database = options.database === 'postgres' ? await createTestDatabase() : undefined;
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    for (const server of servers) removeDataDir(server.dataDir);
    await database?.drop();
    await dropPrefix(prefix);
  };
  try {
    for (let i = 0; i < options.processes; i++) {
      servers.push(
        await startServerProcess({
          // One client address sends every turn, under made-up ids: the web chat's limits are raised (still counted).
          env: { LOG_LEVEL: 'warn', HANDOFF_QUEUE_PREFIX: prefix, ...LENIENT_WEBCHAT_ENV, ...(database ? { DATABASE_URL: database.url } : {}), ...options.env },
          ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
          healthTimeoutMs: 300_000,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: servers.map((s) => s.url), servers, stop };
}

/** Counts the answers that carried a knowledge-base source, to show every turn really reached the knowledge base. */
export class AnswerCheck {
  checked = 0;
  fromKnowledge = 0;
  inspect = (body: string) => {
    this.checked++;
    const replies = (JSON.parse(body) as { replies: Array<{ text: string }> }).replies;
    if (replies.some((reply) => /\bSource: /.test(reply.text))) this.fromKnowledge++;
  };
  toString(): string {
    return `${this.fromKnowledge} of ${this.checked} answers checked carried a knowledge-base source`;
  }
}

function row(concurrency: number, p: Figures, b: Figures): string[] {
  return [
    String(concurrency),
    fmt(p.perSecond),
    fmt(p.p50, 1),
    fmt(p.p99, 1),
    fmt(p.p999, 1),
    fmt(b.perSecond),
    fmt(b.p50, 2),
    fmt(b.p99, 2),
    fmt(b.p999, 2),
    fmt(p.perSecond / b.perSecond, 4),
    String(p.samples),
  ];
}

const HEADER = ['conversations', 'Parley turns/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'bare req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'Parley / bare', 'turns measured'];

async function run(options: BenchOptions): Promise<void> {
  const { warmupMs, measureMs } = durations(options.quick);
  process.stdout.write(
    `Each turn: ${TURN_DESCRIPTION}.\nEach cell: ${measureMs / 1000} s measured (longer, up to ${Math.max(5 * measureMs, 30_000) / 1000} s, until every conversation had a turn ` +
      `in it) after every conversation had its first answer (at most ${Math.max(20 * warmupMs, 10_000) / 1000} s) and at least ${warmupMs / 1000} s of warm-up${options.quick ? ' (--quick)' : ''}; closed loop, one conversation per worker, keep-alive HTTP/1.1 on ` +
      `127.0.0.1; the bare server (one process per Parley process) gets the same load right after.\n` +
      `PGlite cannot be shared between processes (one process owns its data directory), so two processes run on PostgreSQL only.\n`,
  );
  const throughput = new Map<Setup['key'], number[]>();
  for (const setup of SETUPS) {
    process.stdout.write(`\n### ${setup.name}\n\n`);
    const check = new AnswerCheck();
    const errors: string[] = [];
    const rows = [HEADER];
    const openRows = [['conversations', 'turns/s sent', 'p50 ms', 'p99 ms', 'p99.9 ms', 'turns measured', 'errors']];
    const parley = await startParley(setup);
    const bare: BareServer[] = [];
    try {
      for (let i = 0; i < setup.processes; i++) bare.push(await startBareServer());
      const perSecond: number[] = [];
      for (const concurrency of CONCURRENCY) {
        const p = figures(await closedLoop({ targets: parley.urls, concurrency, warmupMs, measureMs, text: knowledgeQuestion, inspect: check.inspect }));
        const b = figures(await closedLoop({ targets: bare.map((s) => s.url), concurrency, warmupMs, measureMs, text: knowledgeQuestion }));
        if (p.errors > 0) errors.push(`Parley: ${p.errors} failed or non-200 answers at ${concurrency} conversations`);
        if (b.errors > 0) errors.push(`bare: ${b.errors} failed or non-200 answers at ${concurrency} conversations`);
        if (p.warmedUp < concurrency) errors.push(`Parley: warm-up cut short at ${concurrency} conversations: ${p.warmedUp} had their first answer`);
        rows.push(row(concurrency, p, b));
        perSecond.push(p.perSecond);
        if (concurrency === PGBENCH_CLIENTS) {
          // Latency as customers feel it: the same conversations at a steady half of the closed loop's maximum.
          const rate = p.perSecond / 2;
          const o = figures(await openLoop({ targets: parley.urls, conversations: concurrency, ratePerSecond: rate, warmupMs, measureMs, text: knowledgeQuestion }));
          openRows.push([String(concurrency), fmt(rate), fmt(o.p50, 1), fmt(o.p99, 1), fmt(o.p999, 1), String(o.samples), String(o.errors)]);
        }
        process.stderr.write(`  ${setup.name}: ${concurrency} conversations done (${p.samples} turns measured)\n`);
      }
      throughput.set(setup.key, perSecond);
    } finally {
      await Promise.all(bare.map((s) => s.stop()));
      await parley.stop();
    }
    process.stdout.write(`${table(rows)}\n\n${check}.\n`);
    if (openRows.length > 1) process.stdout.write(`\nOpen loop (turns sent at a steady total rate, half the closed loop's maximum; latency from when each was due):\n\n${table(openRows)}\n`);
    for (const error of errors) process.stdout.write(`warning: ${error}\n`);
  }
  const ratio = (a: Setup['key'], b: Setup['key'], label: string) => {
    const x = throughput.get(a);
    const y = throughput.get(b);
    if (x && y) process.stdout.write(`${label}: ${CONCURRENCY.map((c, i) => `${c}: ${fmt(x[i]! / y[i]!, 2)}x`).join(', ')}\n`);
  };
  process.stdout.write('\nThroughput ratios by concurrent conversations:\n');
  ratio('postgres', 'pglite', 'PostgreSQL / PGlite, one process');
  ratio('postgres-2', 'postgres', '2 processes / 1 process, PostgreSQL');
  await againstPgbench(throughput, measureMs);
}

/** Parley's turns/s on PostgreSQL at 64 conversations against the turn-shaped transactions pgbench commits there. */
async function againstPgbench(throughput: Map<Setup['key'], number[]>, measureMs: number): Promise<void> {
  const at = CONCURRENCY.indexOf(PGBENCH_CLIENTS);
  const measured = (['postgres', 'postgres-2'] as const).filter((key) => at >= 0 && throughput.get(key));
  if (measured.length === 0) return;
  const result = await pgbenchTurns(PGBENCH_CLIENTS, Math.max(5, Math.round(measureMs / 1000)));
  process.stdout.write(`\nThe same PostgreSQL, turn-shaped transactions (pgbench, ${PGBENCH_CLIENTS} clients: BEGIN; INSERT the message; UPDATE the conversation; INSERT the reply; COMMIT): `);
  if ('skipped' in result) {
    process.stdout.write(`not measured: ${result.skipped}\n`);
    return;
  }
  process.stdout.write(`${fmt(result.tps)} per second\n`);
  for (const key of measured) {
    const turns = throughput.get(key)![at]!;
    process.stdout.write(`${ALL_SETUPS.find((s) => s.key === key)!.name} at ${PGBENCH_CLIENTS} conversations: ${fmt(turns)} turns/s = ${fmt((100 * turns) / result.tps, 1)} % of pgbench's\n`);
  }
}

export const webchatTurns: Benchmark = {
  name: 'webchat',
  description: 'full web chat bot turns/s and p50/p99/p99.9 at 1/64/512 conversations: PGlite, PostgreSQL, 2 processes; vs a bare http server and pgbench; an open loop at half the maximum',
  run,
};
