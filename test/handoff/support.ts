import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import { hashPassword, hashToken } from '../../src/handoff/agents.ts';
import { HandoffStore } from '../../src/handoff/handoff-store.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { LENIENT_WEBCHAT_ENV, repoRoot } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { until } from '../support/poll.ts';
import { sqlOf } from '../support/sql.ts';

export const fixtureFlows = path.join(import.meta.dirname, 'fixtures/flows');
export const ANA = { id: 'ana', name: 'Ana', password: 'correct horse battery', token: 'ana-token-0123456789abcdef' };
export const BEN = { id: 'ben', name: 'Ben', password: 'another good password', token: 'ben-token-0123456789abcdef' };
// Hashed once: scrypt is deliberately slow.
const agentsJson = JSON.stringify([
  { id: ANA.id, name: ANA.name, queues: ['support'], password: hashPassword(ANA.password), token: hashToken(ANA.token) },
  { id: BEN.id, name: BEN.name, queues: ['billing'], password: hashPassword(BEN.password), token: hashToken(BEN.token) },
]);

export interface HandoffApp {
  app: App;
  url: string;
  prefix: string;
  handoffs: HandoffStore;
  logs: string[];
  close(): Promise<void>;
}

/** A fresh `{hash tag}` prefix, so each test has its own BullMQ queue and Redis keys. */
export function freshPrefix(): string {
  return `{parley-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}}`;
}

/** Deletes every Redis key under the prefix (the test's queue, sessions, signals). */
export async function dropPrefix(prefix: string, redisUrl = 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[{}[\]*?]/g, '\\$&')}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

/**
 * A real app with two agents (Ana: support, Ben: billing), on the real Redis with its own queue prefix and the real
 * PostgreSQL with its own database (PGlite takes seconds to open on a busy machine).
 */
export async function startHandoffApp(env: Record<string, string> = {}, options: { knowledge?: KnowledgePort } = {}): Promise<HandoffApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-handoff-'));
  const database = await createTestDatabase();
  const prefix = env.HANDOFF_QUEUE_PREFIX ?? freshPrefix();
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', FLOWS_DIR: fixtureFlows, REDIS_AUTOSTART: 'false', FLOWS_WATCH: 'false', KB_WATCH: 'false',
    AGENTS: agentsJson, HANDOFF_QUEUE_PREFIX: prefix, DATA_DIR: dataDir, DATABASE_URL: database.url, ...LENIENT_WEBCHAT_ENV, ...env,
  }, repoRoot);
  const logs: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, callback) { logs.push(chunk.toString('utf8')); callback(); } });
  const logger = createLogger({ level: 'debug', redact: true, destination });
  const app = await createApp(config, { logger, ...(options.knowledge ? { knowledge: options.knowledge } : {}) });
  const url = await app.listen();
  return {
    app, url, prefix, logs, handoffs: new HandoffStore(sqlOf(app.store)),
    async close() {
      await app.close();
      await dropPrefix(prefix, config.redisUrl);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the agent console's API as an agent (bearer token). */
export async function asAgent(url: string, token: string, pathname: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/** Polls until `check` returns a value other than undefined (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  return (await until(check, (value) => value !== undefined, 'a condition', { timeoutMs, intervalMs: 50 })) as T;
}

/** The customer's web transcript as [from, text] pairs. */
export async function webTranscript(url: string, conversationId: string): Promise<Array<{ direction: string; text: string }>> {
  const response = await fetch(`${url}/api/webchat/conversations/${conversationId}/messages`);
  const json = (await response.json()) as { messages: Array<{ direction: string; text: string }> };
  return json.messages.map((m) => ({ direction: m.direction, text: m.text }));
}

/** Opens a WebSocket and collects the JSON frames it receives, as they come. */
export function collectFrames(url: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; frames: any[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const frames: any[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    socket.once('open', () => resolve({ socket, frames }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });
}
