import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HandoffQueue } from '../../src/handoff/handoff-queue.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { repoRoot, say } from '../support/app.ts';
import { kill, startRedis } from '../support/redis-server.ts';
import { ANA, asAgent, dropPrefix, eventually, freshPrefix, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';

/**
 * Faults on the real Redis. The restart test runs its own redis-server on another port (never the shared one),
 * with an append-only file, as production would.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups.length = 0;
});

describe('handoffs when things fail', () => {
  it('Redis restarted while handoffs are enqueued and an agent replies: nothing lost, nothing sent twice', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-redis-'));
    let redis = await startRedis(port, dir);
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => kill(redis));
    const redisUrl = `redis://127.0.0.1:${port}`;
    const t: HandoffApp = await startHandoffApp({ REDIS_URL: redisUrl });
    cleanups.push(() => t.close());
    const frames: string[] = [];
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=first`);
    socket.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));
    cleanups.push(async () => socket.close());

    await say(t.url, 'first', 'm1', { text: 'agent' });
    const first = await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]);
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${first.id}/claim`, {});
    const customers = Array.from({ length: 8 }, (_, i) => `c${i}`);
    await Promise.all(customers.map((c) => say(t.url, c, 'm1', { text: 'can I talk to a human' })));

    // Redis dies with those handoffs just enqueued; the agent replies while it is down; then it comes back.
    await kill(redis);
    const reply = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${first.id}/replies`, { messageId: 'during-outage', text: 'Sorry for the wait, I am here.' });
    expect(reply.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    redis = await startRedis(port, dir);

    const announced = await eventually(async () => {
      const all = await Promise.all(customers.map(async (c) => t.handoffs.openFor((await t.app.store.findConversation('web', c))!.id)));
      return all.every((h) => h?.announcedAt) ? all : undefined;
    }, 30_000);
    expect(new Set(announced.map((h) => h!.id)).size).toBe(customers.length);
    const listed = await asAgent(t.url, ANA.token, '/agent/api/handoffs');
    expect(listed.json.handoffs).toHaveLength(customers.length + 1);
    await eventually(async () => (frames.some((f) => f.includes('Sorry for the wait, I am here.')) ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(frames.filter((f) => f.includes('Sorry for the wait, I am here.'))).toHaveLength(1);
    expect((await webTranscript(t.url, 'first')).filter((l) => l.text === 'Sorry for the wait, I am here.')).toHaveLength(1);
    for (const c of customers) {
      const notices = (await webTranscript(t.url, c)).filter((l) => l.text.startsWith('A person from our team will be with you shortly'));
      expect(notices).toHaveLength(1);
    }
    const bull = new Queue('handoffs', { connection: { host: '127.0.0.1', port }, prefix: t.prefix });
    cleanups.push(() => bull.close());
    const counts = await eventually(async () => {
      const c = await bull.getJobCounts('completed', 'failed', 'waiting', 'active', 'prioritized', 'delayed');
      return c.completed === customers.length + 1 ? c : undefined;
    });
    expect(counts).toMatchObject({ completed: customers.length + 1, failed: 0 });
  }, 90_000);

  it('a worker killed in the middle of a job: the job is run again by another worker and completes once', async () => {
    const prefix = freshPrefix();
    const redisUrl = 'redis://127.0.0.1:6379';
    cleanups.push(() => dropPrefix(prefix, redisUrl));
    const logger = createLogger({ level: 'silent', redact: true });
    const queue = new HandoffQueue({ redisUrl, prefix, logger });
    cleanups.push(() => queue.close());
    const handoffId = randomUUID();
    await queue.add(handoffId, 3);

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/crash-worker.ts'), redisUrl, prefix], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => kill(child));
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    await eventually(async () => (output.includes(`started ${handoffId}`) ? true : undefined), 20_000);
    await kill(child);

    const runs: string[] = [];
    const survivor = new HandoffQueue({ redisUrl, prefix, logger });
    cleanups.push(() => survivor.close());
    survivor.startWorker(async (job) => void runs.push(job.handoffId), { lockDurationMs: 1000, stalledIntervalMs: 500 });
    const bull = await queue.bull();
    await eventually(async () => ((await bull.getJobState(handoffId)) === 'completed' ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs).toEqual([handoffId]);
    expect((await bull.getJob(handoffId))?.finishedOn).toBeGreaterThan(0);
  }, 60_000);
});
