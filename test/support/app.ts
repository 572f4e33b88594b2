import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App, type CreateAppOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { seedPgliteDataDir } from './pglite-template.ts';
import { restoreWarmVectors, seedWarmCaches } from './warm-caches.ts';
import { LENIENT_WEBCHAT_ENV } from './webchat-env.ts';

export { LENIENT_WEBCHAT_ENV };

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const demoFlowsDir = path.join(repoRoot, 'flows');

export interface TestApp {
  app: App;
  url: string;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real Parley app on a free port, with its own data directory, the real Redis, and PGlite unless a URL is given.
 * A data directory of its own starts from an initialized PGlite (see pglite-template.ts); one given as DATA_DIR is
 * used as it is.
 */
export async function startTestApp(env: Record<string, string> = {}, options: Omit<CreateAppOptions, 'logger'> = {}): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'parley-test-'));
  if (!env.DATA_DIR) {
    if (!env.DATABASE_URL) await seedPgliteDataDir(dataDir);
    seedWarmCaches(dataDir);
  }
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', FLOWS_DIR: demoFlowsDir, REDIS_AUTOSTART: 'false', ...LENIENT_WEBCHAT_ENV, ...env, DATA_DIR: dataDir }, repoRoot);
  if (config.understandingEncoder) await restoreWarmVectors();
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'debug', redact: config.logRedact, destination });
  const app = await createApp(config, { ...options, logger });
  const url = await app.listen();
  return {
    app,
    url,
    logs,
    dataDir,
    async close() {
      await app.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Sends one web chat message through the HTTP endpoint and returns the bot's replies. */
export async function say(url: string, conversationId: string, messageId: string, message: { text?: string; payload?: string }) {
  const response = await postJson(`${url}/api/webchat/messages`, { conversationId, messageId, ...message });
  if (response.status !== 200) throw new Error(`webchat answered ${response.status}: ${JSON.stringify(response.json)}`);
  return response.json as { duplicate: boolean; replies: { id: string; text: string; buttons: { title: string; payload: string }[] }[] };
}
