import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { makeDataDir, removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { LENIENT_WEBCHAT_ENV } from '../support/webchat-env.ts';
import { expectAnsweredOnce, expectHandoffsDelivered, faultFlows, planStream, runStream } from './support.ts';

/**
 * A real server process (`parley start`, PostgreSQL) killed with SIGKILL while customers are writing, and started
 * again on the same port: what it had accepted is answered by the new process, once; the widgets send again what
 * got no answer, with the same message id.
 */
describe('server killed with SIGKILL mid-stream', () => {
  let server: ServerProcess | undefined;
  let database: { url: string; drop(): Promise<void> };
  const dataDir = makeDataDir();
  const prefix = freshPrefix();
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix,
      // The killed process's conversation locks and claims on replies expire after these, instead of 30 s and 60 s.
      TURN_LOCK_TTL_MS: '2000', OUTBOX_CLAIM_TTL_MS: '3000', CHANNEL_SEND_TIMEOUT_MS: '2000', ...LENIENT_WEBCHAT_ENV,
    };
    server = await startServerProcess({ dataDir, env });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    removeDataDir(dataDir);
    await dropPrefix(prefix);
    await database?.drop();
  });

  it('nothing accepted is lost or answered twice', { timeout: 120_000 }, async () => {
    const tag = `kill-${Date.now().toString(36)}`;
    const plan = planStream(tag, 30, 10);
    const url = server!.url;
    const port = server!.port;
    let restart: Promise<void> | undefined;
    const { answers, failures } = await runStream(plan, () => [url], 20, (answered) => {
      if (answered !== 120) return;
      restart = (async () => {
        const stopped = await server!.stop('SIGKILL');
        expect(stopped.signal).toBe('SIGKILL');
        server = await startServerProcess({ dataDir, port, env });
      })();
    });
    await restart;
    expect(failures).toBeGreaterThan(0);
    await expectAnsweredOnce(database.url, tag, plan, answers);
    await expectHandoffsDelivered(database.url, tag, plan, { host: '127.0.0.1', port: 6379 }, prefix);
  });
});
