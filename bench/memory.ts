/**
 * Memory of a Parley server process: RSS and heap (after a full GC) on an empty store and on a store holding
 * 100,000 web chat conversations with history (bench/seed-conversations.ts, bulk SQL); then what each conversation
 * that had a turn and went idle leaves behind in the process — the goal is nothing: everything about a conversation
 * lives in the database and Redis. On PGlite (where the database itself lives in the process) and on PostgreSQL.
 *
 * The server is the real `parley start`, started with `--expose-gc --import bench/memory-probe.mjs`: on SIGUSR2 the
 * probe collects garbage twice and prints process.memoryUsage().
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/open-store.ts';
import { dropPrefix } from '../test/handoff/support.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { makeDataDir, removeDataDir, startServerProcess, type ServerProcess } from '../test/support/server-process.ts';
import { LENIENT_WEBCHAT_ENV } from '../test/support/webchat-env.ts';
import { fmt, table } from './http-load.ts';
import type { Benchmark, BenchOptions } from './run.ts';
import { MESSAGES_PER_SEEDED_CONVERSATION, seedConversations, seededConversationId } from './seed-conversations.ts';
import { knowledgeQuestion, TURN_DESCRIPTION } from './webchat-turns.ts';
import { sqlOf } from '../test/support/sql.ts';

const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));
/** Conversations touched before the measured batches: JIT, caches and pools reach their working size. */
const WARMUP_CONVERSATIONS = 300;
const CONCURRENCY = 16;

interface Sizes {
  conversations: number;
  /** Idle conversations touched per measured batch (two batches). */
  touched: number;
}

const sizes = (quick: boolean): Sizes => (quick ? { conversations: 10_000, touched: 300 } : { conversations: 100_000, touched: 2_000 });

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Asks the server's probe for its memory after a full GC. */
async function probe(server: ServerProcess): Promise<Memory> {
  const count = () => server.output().split('PARLEY_MEMORY ').length - 1;
  const before = count();
  server.child.kill('SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (count() === before) {
    if (Date.now() > deadline) throw new Error(`the memory probe did not answer:\n${server.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = server.output().split('PARLEY_MEMORY ').at(-1)!.split('\n')[0]!;
  const memory = JSON.parse(line) as Memory & { gc: boolean };
  if (!memory.gc) throw new Error('the server was started without --expose-gc');
  return memory;
}

/** One turn on each of the seeded conversations `from`..`from + count - 1`, then a moment for their deliveries. */
async function touch(server: ServerProcess, from: number, count: number): Promise<number> {
  const url = `${server.url}/api/webchat/messages`;
  const run = randomUUID().slice(0, 8);
  let next = from;
  let failed = 0;
  // Each worker takes the next untouched conversation: one turn per conversation.
  const worker = async () => {
    for (let n = next++; n < from + count; n = next++) {
      const body = { conversationId: seededConversationId(n), messageId: `${run}-${n}`, text: knowledgeQuestion(0, n) };
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
      if (response?.status !== 200) failed++;
      await response?.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // deliveries and lock releases after the answers
  return failed;
}

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function measure(database: 'pglite' | 'postgres', size: Sizes): Promise<string[][]> {
  const prefix = `{parley-bench-${randomUUID().slice(0, 8)}}`;
  const dataDirs = [makeDataDir('parley-bench-mem-'), makeDataDir('parley-bench-mem-')];
  const databases = database === 'postgres' ? [await createTestDatabase(), await createTestDatabase()] : [];
  const servers: ServerProcess[] = [];
  const start = (i: number) =>
    startServerProcess({
      dataDir: dataDirs[i]!,
      nodeArgs: ['--expose-gc', '--import', PROBE],
      env: { LOG_LEVEL: 'warn', HANDOFF_QUEUE_PREFIX: prefix, ...LENIENT_WEBCHAT_ENV, ...(databases[i] ? { DATABASE_URL: databases[i].url } : {}) },
      healthTimeoutMs: 300_000,
    }).then((server) => (servers.push(server), server));
  try {
    // The same app on an empty store, for reference.
    const empty = await start(0);
    const emptyMemory = await probe(empty);
    await empty.stop('SIGTERM');

    const seedStarted = performance.now();
    const store = await openStore({ dataDir: dataDirs[1]!, ...(databases[1] ? { databaseUrl: databases[1].url } : {}) });
    await seedConversations(sqlOf(store), size.conversations, {
      onProgress: (done) => process.stderr.write(`  ${database}: seeded ${done.toLocaleString('en')} conversations\r`),
    });
    await store.close();
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    process.stderr.write('\n');

    const server = await start(1);
    const seeded = await probe(server);
    let failed = await touch(server, 1, WARMUP_CONVERSATIONS);
    const warm = await probe(server);
    failed += await touch(server, 1 + WARMUP_CONVERSATIONS, size.touched);
    const afterA = await probe(server);
    failed += await touch(server, 1 + WARMUP_CONVERSATIONS + size.touched, size.touched);
    const afterB = await probe(server);
    if (failed > 0) process.stdout.write(`warning: ${failed} turns failed on ${database}\n`);

    const perConversation = (a: Memory, b: Memory, key: keyof Memory) => fmt((b[key] - a[key]) / size.touched, 0);
    const label = database === 'pglite' ? 'PGlite (the database in the process)' : 'PostgreSQL';
    process.stdout.write(
      `${label}: seeded ${size.conversations.toLocaleString('en')} conversations (${(size.conversations * MESSAGES_PER_SEEDED_CONVERSATION).toLocaleString('en')} messages) in ${seedSeconds.toFixed(1)} s\n`,
    );
    return [
      [label, 'empty store', MiB(emptyMemory.rss), MiB(emptyMemory.heapUsed), MiB(emptyMemory.external), ''],
      [label, `${size.conversations.toLocaleString('en')} conversations, none touched`, MiB(seeded.rss), MiB(seeded.heapUsed), MiB(seeded.external), ''],
      [label, `after ${WARMUP_CONVERSATIONS} warm-up turns`, MiB(warm.rss), MiB(warm.heapUsed), MiB(warm.external), ''],
      [label, `+${size.touched.toLocaleString('en')} idle conversations (1 turn each)`, MiB(afterA.rss), MiB(afterA.heapUsed), MiB(afterA.external),
        `heap ${perConversation(warm, afterA, 'heapUsed')}, rss ${perConversation(warm, afterA, 'rss')}`],
      [label, `+${size.touched.toLocaleString('en')} more`, MiB(afterB.rss), MiB(afterB.heapUsed), MiB(afterB.external),
        `heap ${perConversation(afterA, afterB, 'heapUsed')}, rss ${perConversation(afterA, afterB, 'rss')}`],
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    for (const dir of dataDirs) removeDataDir(dir);
    for (const db of databases) await db.drop();
    await dropPrefix(prefix);
  }
}

async function run(options: BenchOptions): Promise<void> {
  const size = sizes(options.quick);
  process.stdout.write(
    `Heap = heapUsed after two full GCs (--expose-gc); rss = resident set. A touched conversation had one turn: ${TURN_DESCRIPTION};\n` +
      `${CONCURRENCY} at a time, then idle. Bytes per idle conversation = growth over a batch / conversations in it (negative = noise).\n\n`,
  );
  const rows = [['store', 'when', 'rss', 'heap used', 'external', 'bytes per idle conversation']];
  for (const database of ['pglite', 'postgres'] as const) rows.push(...(await measure(database, size)));
  process.stdout.write(`\n${table(rows)}\n`);
}

export const memoryBench: Benchmark = {
  name: 'memory',
  description: 'server RSS and heap with 100,000 stored conversations; bytes each idle conversation leaves in the process',
  run,
};
