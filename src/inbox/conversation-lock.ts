import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ParleyError } from '../core/errors.ts';

/**
 * Serializes the turns of one conversation, across every process that shares the same Redis. A conversation's lock is
 * keyed by its address (`conversationLockKey`), so that a turn takes it before it has read anything.
 */
export interface ConversationLock {
  /**
   * Runs `fn` holding the lock of `key`. When the lock is not free at once, `whileBusy` runs first (once, without the
   * lock): a value it returns is the answer, and the lock is not waited for.
   */
  withLock<T>(key: string, fn: () => Promise<T>, whileBusy?: () => Promise<T | undefined>): Promise<T>;
}

/** The lock key of the conversation at a channel's conversation id: the same for every process, known before any read. */
export function conversationLockKey(conversation: { channel: string; conversationId: string } | { channel: string; externalId: string }): string {
  return `${conversation.channel}:${'externalId' in conversation ? conversation.externalId : conversation.conversationId}`;
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

  withLock<T>(lockKey: string, fn: () => Promise<T>, whileBusy?: () => Promise<T | undefined>): Promise<T> {
    const previous = this.local.get(lockKey);
    const run = previous
      ? (async () => {
          const early = await whileBusy?.();
          if (early !== undefined) return early;
          return previous.catch(() => {}).then(() => this.withRedisLock(lockKey, fn));
        })()
      : this.withRedisLock(lockKey, fn, whileBusy);
    const tail = run.catch(() => {});
    this.local.set(lockKey, tail);
    void tail.then(() => {
      if (this.local.get(lockKey) === tail) this.local.delete(lockKey);
    });
    return run;
  }

  private async withRedisLock<T>(lockKey: string, fn: () => Promise<T>, whileBusy?: () => Promise<T | undefined>): Promise<T> {
    const key = this.prefix + lockKey;
    const token = randomUUID();
    if (!(await this.tryOnce(key, token))) {
      const early = await whileBusy?.();
      if (early !== undefined) return early;
      await this.acquire(key, token);
    }
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

  private async tryOnce(key: string, token: string): Promise<boolean> {
    try {
      return (await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK';
    } catch (error) {
      throw new ParleyError('REDIS_UNAVAILABLE', 'Redis is not reachable: the turn was not run', { cause: error });
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let delay = 2;
    for (;;) {
      if (await this.tryOnce(key, token)) return;
      if (Date.now() > deadline) {
        throw new ParleyError('LOCK_TIMEOUT', 'Another turn of this conversation is taking too long');
      }
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
  }
}
