import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { hashPassword, hashToken } from '../../src/handoff/agents.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { demoFlowsDir, LENIENT_WEBCHAT_ENV, repoRoot, say } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { until } from '../support/poll.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';

/** Mia is an admin (she may read the report); Ana is an agent without it. */
export const MIA = { id: 'mia', name: 'Mia', password: 'manager mia password', token: 'mia-token-0123456789abcdef' };
export const ANA = { id: 'ana', name: 'Ana', password: 'agent ana password', token: 'ana-token-0123456789abcdef' };
export const ADMIN_TOKEN = 'report-admin-token-0123456789';
export const METRICS_TOKEN = 'report-metrics-token-0123456789';
const agentsJson = JSON.stringify([
  { id: MIA.id, name: MIA.name, queues: ['support'], admin: true, password: hashPassword(MIA.password), token: hashToken(MIA.token) },
  { id: ANA.id, name: ANA.name, queues: ['support'], password: hashPassword(ANA.password), token: hashToken(ANA.token) },
]);

export interface ReportApp {
  app: App;
  url: string;
  databaseUrl: string;
  logs: string[];
  close(): Promise<void>;
}

/** The demo shop (flows/, knowledge/) on the real Redis and its own PostgreSQL database, with an admin and an agent. */
export async function startReportApp(): Promise<ReportApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-report-'));
  const database = await createTestDatabase();
  const prefix = freshPrefix();
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', FLOWS_DIR: demoFlowsDir, REDIS_AUTOSTART: 'false', FLOWS_WATCH: 'false', KB_WATCH: 'false',
    AGENTS: agentsJson, HANDOFF_QUEUE_PREFIX: prefix, DATA_DIR: dataDir, DATABASE_URL: database.url,
    ADMIN_TOKEN, METRICS_TOKEN, BOTFRAMEWORK_EMULATOR: 'true', ...LENIENT_WEBCHAT_ENV,
  }, repoRoot);
  const logs: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, callback) { logs.push(chunk.toString('utf8')); callback(); } });
  const app = await createApp(config, { logger: createLogger({ level: 'info', redact: true, destination }) });
  const url = await app.listen();
  return {
    app, url, databaseUrl: database.url, logs,
    async close() {
      await app.close();
      await dropPrefix(prefix, config.redisUrl);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call(url: string, pathname: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const response = await fetch(`${url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    redirect: 'manual',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

const texts = (reply: Awaited<ReturnType<typeof say>>) => reply.replies.map((r) => r.text);

/**
 * The conversation set the report is checked against, through the web chat's HTTP endpoint:
 *   c1  greeting, "thanks, bye" → the rating question → 5; a second goodbye is not asked again      contained
 *   c2  order status, then silence at the order number question                                    drop-off
 *   c3  "talk to a person" → claimed, answered, resolved by Mia → rating 4                           handoff: customer_request
 *   c4  order found; "do you sell lawn mowers?" (a knowledge gap); "thanks" → question → "menu" (no rating)  contained
 *   c5  three wrong order numbers → handed over, still waiting                                      handoff: ask_failed
 */
export async function driveConversations(url: string): Promise<{ ratingQuestion: string[]; askedAgain: string[] }> {
  await say(url, 'c1', 'm1', { text: 'hi' });
  const ratingQuestion = texts(await say(url, 'c1', 'm2', { text: 'Thanks, bye!' }));
  await say(url, 'c1', 'm3', { text: '5' });
  const askedAgain = texts(await say(url, 'c1', 'm4', { text: 'thank you' }));

  await say(url, 'c2', 'm1', { text: 'where is my order' });

  await say(url, 'c3', 'm1', { text: 'can I talk to a real person' });
  const handoff = await until(async () => (await call(url, '/agent/api/handoffs', MIA.token)).json?.handoffs?.[0], (h) => h !== undefined, 'the handoff');
  await call(url, `/agent/api/handoffs/${handoff.id}/claim`, MIA.token, {});
  await call(url, `/agent/api/handoffs/${handoff.id}/replies`, MIA.token, { messageId: 'r1', text: 'Hi, Mia here. How can I help?' });
  await call(url, `/agent/api/handoffs/${handoff.id}/resolve`, MIA.token, { outcome: 'solved' });
  await say(url, 'c3', 'm2', { text: '4' });

  await say(url, 'c4', 'm1', { text: 'where is my order' });
  await say(url, 'c4', 'm2', { text: 'BW-12345' });
  await say(url, 'c4', 'm3', { text: 'do you sell lawn mowers?' });
  await say(url, 'c4', 'm4', { text: 'thanks' });
  await say(url, 'c4', 'm5', { text: 'menu' });

  await say(url, 'c5', 'm1', { text: "my package hasn't arrived" });
  await say(url, 'c5', 'm2', { text: '12345' });
  await say(url, 'c5', 'm3', { text: 'call me on +49 151 23456789' });
  await say(url, 'c5', 'm4', { text: 'the blue one' });
  return { ratingQuestion, askedAgain };
}
