import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ParleyError } from '../core/errors.ts';

/** Serializes the turns of one conversation, across every process that shares the same Redis. */
export interface ConversationLock {
  withLock<T>(conversationId: string, fn: () => Promise<T>): Promise<T>;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLockOptions {
  /** How long a holder keeps the lock without renewing it; a crashed holder releases it after this. */
  ttlMs: number;
  /** How long to wait for the lock before giving up with LOCK_TIMEOUT. Default: twice the TTL. */
  waitMs?: number;
  keyPrefix?: string;
}

/**
 * A Redis lock per conversation (SET NX PX, released only by its holder, renewed while the turn runs). Inside one
 * process, waiters queue on a promise chain first, so only one of them at a time polls Redis.
 */
export class RedisConversationLock implements ConversationLock {
  private readonly local = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisLockOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.waitMs = options.waitMs ?? options.ttlMs * 2;
    this.prefix = options.keyPrefix ?? 'parley:lock:conversation:';
  }

  withLock<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.local.get(conversationId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.withRedisLock(conversationId, fn));
    const tail = run.catch(() => {});
    this.local.set(conversationId, tail);
    void tail.then(() => {
      if (this.local.get(conversationId) === tail) this.local.delete(conversationId);
    });
    return run;
  }

  private async withRedisLock<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const key = this.prefix + conversationId;
    const token = randomUUID();
    await this.acquire(key, token);
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).catch(() => {});
    }, Math.max(200, Math.floor(this.ttlMs / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let delay = 2;
    for (;;) {
      let acquired: string | null;
      try {
        acquired = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
      } catch (error) {
        throw new ParleyError('REDIS_UNAVAILABLE', 'Redis is not reachable: the turn was not run', { cause: error });
      }
      if (acquired === 'OK') return;
      if (Date.now() > deadline) {
        throw new ParleyError('LOCK_TIMEOUT', 'Another turn of this conversation is taking too long');
      }
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
  }
}
