import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ParleyError } from '../core/errors.ts';
import type { Logger } from './logger.ts';

export interface RedisHandle {
  /** Connection for commands (locks, publishing). */
  client: Redis;
  /** A new connection, e.g. for a subscriber, which cannot run other commands. */
  duplicate(): Redis;
  close(): Promise<void>;
}

export interface ConnectRedisOptions {
  url: string;
  autostart: boolean;
  dataDir: string;
  logger: Logger;
}

function openClient(url: string): Redis {
  // Fail fast instead of queueing commands in memory while Redis is down: callers answer 503. Commands issued in
  // the same turn of the event loop (a turn's delivery and its lock's release; other conversations' locks under load)
  // go to Redis as one pipeline, one socket write, while the previous pipeline is answered.
  return new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 2, enableAutoPipelining: true });
}

async function tryConnect(url: string): Promise<Redis | null> {
  const client = openClient(url);
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return null;
  }
}

function isLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function startLocalRedis(url: URL, dataDir: string, logger: Logger): Promise<ChildProcess> {
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = url.port || '6379';
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  logger.info({ port, dir }, 'started redis-server under the data directory');
  return child;
}

/**
 * Connects to Redis. When nothing answers at a local URL and `redis-server` is on PATH, starts one with its data
 * under the data directory and stops it on close; otherwise fails with one line saying how to get Redis.
 */
export async function connectRedis(options: ConnectRedisOptions): Promise<RedisHandle> {
  const url = new URL(options.url);
  let client = await tryConnect(options.url);
  let child: ChildProcess | undefined;
  if (!client && options.autostart && isLocal(url) && redisServerOnPath()) {
    child = await startLocalRedis(url, options.dataDir, options.logger);
    for (let attempt = 0; attempt < 50 && !client; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      client = await tryConnect(options.url);
    }
  }
  if (!client) {
    child?.kill();
    throw new ParleyError(
      'REDIS_UNAVAILABLE',
      `Redis is not reachable at ${url.host}: start one (Debian: apt-get install redis-server) or set REDIS_URL.`,
    );
  }
  client.on('error', (error) => options.logger.warn({ err: error.message }, 'redis connection error'));
  const connected = client;
  const extra = new Set<Redis>();
  return {
    client: connected,
    duplicate() {
      const copy = connected.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, enableAutoPipelining: false });
      copy.on('error', () => {});
      extra.add(copy);
      return copy;
    },
    async close() {
      for (const copy of extra) copy.disconnect();
      await connected.quit().catch(() => connected.disconnect());
      if (child) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}
