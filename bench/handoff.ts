/**
 * Handoffs: from the moment a handoff's job is added to the BullMQ `handoffs` queue to the moment an agent's console
 * WebSocket shows it (the worker loads the handoff from the database, announces it, Redis pub/sub carries it to the
 * socket), one at a time (latency) and in a burst (throughput); beside raw BullMQ add → processor of the same
 * payload on the same Redis, in the same run. A real app in this process: PGlite under a temp dir, local Redis.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import WebSocket from 'ws';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { hashToken } from '../src/handoff/agents.ts';
import { HandoffQueue, HandoffStore } from '../src/handoff/index.ts';
import { createLogger } from '../src/infra/logger.ts';
import { dropPrefix } from '../test/handoff/support.ts';
import { demoFlowsDir, repoRoot, say } from '../test/support/app.ts';
import type { Benchmark } from './run.ts';
import { sqlOf } from '../test/support/sql.ts';

const SEQUENTIAL = 200;
const BURST = 1_000;
const TOKEN = 'bench-agent-token-0123456789';

interface Figures { p50: number; p99: number; perSecond: number }

function figures(latencies: number[], seconds: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), perSecond: latencies.length / seconds };
}

/** Adds `ids` (all at once, or one after the other) and waits until `seen` has reported each; returns latencies. */
async function measure(ids: string[], add: (id: string) => Promise<unknown>, seen: Map<string, (at: number) => void>, burst: boolean) {
  const latencies: number[] = [];
  const start = performance.now();
  const one = async (id: string) => {
    const shown = new Promise<number>((resolve) => seen.set(id, resolve));
    const t0 = performance.now();
    await add(id);
    latencies.push((await shown) - t0);
  };
  if (burst) await Promise.all(ids.map(one));
  else for (const id of ids) await one(id);
  return figures(latencies, (performance.now() - start) / 1000);
}

async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-handoff-'));
  const prefix = `{parley-bench-${randomUUID().slice(0, 8)}}`;
  const agents = JSON.stringify([{ id: 'bench', name: 'Bench', queues: ['support'], token: hashToken(TOKEN) }]);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', FLOWS_DIR: demoFlowsDir, REDIS_AUTOSTART: 'false', FLOWS_WATCH: 'false', KB_WATCH: 'false',
    DATA_DIR: dataDir, AGENTS: agents, HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' }, repoRoot);
  const app = await createApp(config, { logger: createLogger({ level: 'silent', redact: true }) });
  const url = await app.listen();
  const logger = createLogger({ level: 'silent', redact: true });
  const enqueue = new HandoffQueue({ redisUrl: config.redisUrl, prefix, logger });
  const raw = { queue: new Queue(`raw-${randomUUID().slice(0, 8)}`, { connection: { host: '127.0.0.1', port: 6379 }, prefix }) };
  try {
    // One real handoff gives a real context; the others are copies on conversations of their own, not yet enqueued.
    process.stdout.write('preparing handoffs…\n');
    // The web chat takes a new conversation only under a random id.
    const first = randomUUID();
    await say(url, first, 'm1', { text: 'I want to talk to a person' });
    const handoffs = new HandoffStore(sqlOf(app.store));
    const template = (await handoffs.openFor((await app.store.findConversation('web', first))!.id))!;
    const ids: string[] = [];
    for (let i = 0; i < SEQUENTIAL + BURST; i++) {
      const customer = await app.store.resolveCustomer('web', `bench-user-${i}`);
      const { conversation } = await app.store.resolveConversation({ channel: 'web', conversationId: `bench-${i + 1}`, userId: `bench-user-${i}` }, customer.id);
      const id = randomUUID();
      await handoffs.insert({ ...template, id, conversationId: conversation.id, createdAt: new Date(), context: { ...template.context, handoffId: id, conversationId: conversation.id } });
      // Marked announced so the monitor does not enqueue them before the measurement does.
      await handoffs.markAnnounced(id);
      ids.push(id);
    }
    const seen = new Map<string, (at: number) => void>();
    const socket = new WebSocket(`${url.replace('http', 'ws')}/agent/api/socket`, { headers: { authorization: `Bearer ${TOKEN}` } });
    socket.on('message', (data) => {
      const at = performance.now();
      const event = JSON.parse(String(data)) as { type: string; handoff?: { id: string } };
      if (event.type === 'handoff' && event.handoff) seen.get(event.handoff.id)?.(at);
    });
    await new Promise((resolve) => socket.once('message', resolve));
    const parley = {
      sequential: await measure(ids.slice(0, SEQUENTIAL), (id) => enqueue.add(id, 3), seen, false),
      burst: await measure(ids.slice(SEQUENTIAL), (id) => enqueue.add(id, 3), seen, true),
    };
    socket.close();

    const rawSeen = new Map<string, (at: number) => void>();
    const worker = new Worker(raw.queue.name, async (job) => rawSeen.get((job.data as { handoffId: string }).handoffId)?.(performance.now()),
      { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix, concurrency: 10 });
    const rawAdd = (id: string) => raw.queue.add('announce', { handoffId: id }, { jobId: id, priority: 3, attempts: 8, backoff: { type: 'exponential', delay: 1000 } });
    const rawIds = Array.from({ length: SEQUENTIAL + BURST }, () => randomUUID());
    const bare = {
      sequential: await measure(rawIds.slice(0, SEQUENTIAL), rawAdd, rawSeen, false),
      burst: await measure(rawIds.slice(SEQUENTIAL), rawAdd, rawSeen, true),
    };
    await worker.close();

    const row = (name: string, f: Figures) => `${name.padEnd(44)} ${f.p50.toFixed(2).padStart(8)} ${f.p99.toFixed(2).padStart(8)} ${f.perSecond.toFixed(0).padStart(10)}`;
    process.stdout.write(`${'path'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'per s'.padStart(10)}\n`);
    process.stdout.write(`${row(`parley enqueue → console, one at a time (${SEQUENTIAL})`, parley.sequential)}\n`);
    process.stdout.write(`${row(`parley enqueue → console, burst (${BURST})`, parley.burst)}\n`);
    process.stdout.write(`${row(`raw BullMQ add → processor, one at a time`, bare.sequential)}\n`);
    process.stdout.write(`${row(`raw BullMQ add → processor, burst`, bare.burst)}\n`);
    process.stdout.write(`\nratio parley/raw: p50 one at a time ${(parley.sequential.p50 / bare.sequential.p50).toFixed(1)}x, `
      + `burst throughput ${(parley.burst.perSecond / bare.burst.perSecond).toFixed(2)}x\n`);
  } finally {
    await raw.queue.obliterate({ force: true }).catch(() => {});
    await raw.queue.close();
    await enqueue.close();
    await app.close();
    await dropPrefix(prefix, config.redisUrl);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const handoffBench: Benchmark = {
  name: 'handoff',
  description: 'handoff enqueue → visible in the agent console (p50/p99, handoffs/s), beside raw BullMQ add → process',
  run,
};
