import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { connectRedis, type RedisHandle } from '../../src/infra/redis.ts';

const logger = createLogger({ level: 'silent', redact: true });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

describe('connectRedis', () => {
  const handles: RedisHandle[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('connects to the Redis already running', async () => {
    const handle = await connectRedis({ url: 'redis://127.0.0.1:6379', autostart: false, dataDir: tmpdir(), logger });
    handles.push(handle);
    expect(await handle.client.ping()).toBe('PONG');
  });

  it('fails with one clear line when nothing answers and autostart is off', async () => {
    const port = await freePort();
    const error = await connectRedis({ url: `redis://127.0.0.1:${port}`, autostart: false, dataDir: tmpdir(), logger }).catch((e: unknown) => e);
    expect(isParleyError(error, 'REDIS_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^Redis is not reachable at 127\.0\.0\.1:\d+: start one .* or set REDIS_URL\.$/);
  });

  it('starts redis-server under the data directory when nothing answers, and stops it on close', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-redis-'));
    dirs.push(dataDir);
    const handle = await connectRedis({ url: `redis://127.0.0.1:${port}`, autostart: true, dataDir, logger });
    await handle.client.set('parley:test', 'kept');
    const dir = (await handle.client.config('GET', 'dir')) as string[];
    expect(dir[1]).toBe(path.join(dataDir, 'redis'));
    await handle.close();
    const after = await connectRedis({ url: `redis://127.0.0.1:${port}`, autostart: false, dataDir, logger }).catch((e: unknown) => e);
    expect(isParleyError(after, 'REDIS_UNAVAILABLE')).toBe(true);
  });
});
