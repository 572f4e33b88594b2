import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A lock on Redis that one process holds at a time and must renew: if its holder dies, it lapses after `ttlMs` and
 * another process may take it. Only the holder can renew or release it (compared by a random token).
 */
export class RedisLease {
  readonly token = randomUUID();

  constructor(private readonly redis: Redis, readonly key: string, private readonly ttlMs: number) {}

  /** True when this process holds the lease now (taken just now, or still its own). */
  async acquire(): Promise<boolean> {
    const taken = await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX');
    return taken === 'OK' || (await this.renew());
  }

  /** False when the lease lapsed and someone else may hold it. */
  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
