import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createWebSender, LiveHub, registerWebRoutes } from '../adapters/web/index.ts';
import type { Config } from './config.ts';
import type { ChannelAdapter } from './core/channel.ts';
import { loadFlows, runTurn, type FlowSet } from './engine/index.ts';
import { RedisConversationLock } from './inbox/conversation-lock.ts';
import { Inbox } from './inbox/inbox.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { connectRedis, type RedisHandle } from './infra/redis.ts';
import { Outbox } from './outbox/outbox.ts';
import { buildHttpServer, type HealthReport } from './server/http-server.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/types.ts';

const publicDir = fileURLToPath(new URL('../adapters/web/public/', import.meta.url));

export interface App {
  config: Config;
  logger: Logger;
  http: FastifyInstance;
  store: Store;
  inbox: Inbox;
  outbox: Outbox;
  redis: RedisHandle;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: no new turns, turns under way finish, deliveries under way finish, connections close. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
}

/** The composition root: every part is built here, from the configuration, and handed to the parts that use it. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, redact: config.logRedact });
  const flows: FlowSet = await loadFlows(config.flowsDir);
  const redis = await connectRedis({ url: config.redisUrl, autostart: config.redisAutostart, dataDir: config.dataDir, logger });
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    await redis.close();
    throw error;
  }

  const hub = new LiveHub(redis.client, redis.duplicate());
  const channels = new Map<string, ChannelAdapter>([['web', createWebSender(hub)]]);
  const outbox = new Outbox({ store, channels, logger, redis: redis.client, maxAttempts: config.outboxMaxAttempts });
  const inbox = new Inbox({
    store,
    lock: new RedisConversationLock(redis.client, { ttlMs: config.turnLockTtlMs }),
    runTurn: (state, input) => runTurn(flows, state, input),
    dispatch: (conversation, replies) => void outbox.dispatch(conversation.id, conversation.address, replies),
    logger,
  });

  const health = async (): Promise<HealthReport> => {
    const checks: Record<string, string> = {};
    await Promise.all([
      store.ping().then(
        () => (checks.database = 'ok'),
        (error: unknown) => (checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`),
      ),
      redis.client.ping().then(
        () => (checks.redis = 'ok'),
        (error: unknown) => (checks.redis = `unreachable: ${error instanceof Error ? error.message : String(error)}`),
      ),
    ]);
    const ok = Object.values(checks).every((value) => value === 'ok');
    return { status: ok ? 'ok' : 'degraded', checks, channels: [...channels.keys()] };
  };

  const http = await buildHttpServer({ logger, health, publicDir });
  await registerWebRoutes(http, { inbox, hub, logger });

  let closed = false;
  return {
    config,
    logger,
    http,
    store,
    inbox,
    outbox,
    redis,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const recovered = await inbox.recover();
      if (recovered > 0) logger.info({ conversations: recovered }, 'finished turns left by an earlier process');
      await outbox.sweep(0);
      outbox.startSweeper();
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      await inbox.close();
      await outbox.stop();
      await store.close();
      await redis.close();
    },
  };
}

export { publicDir };
export const projectRoot = path.resolve(publicDir, '../../..');
