import type { Redis } from 'ioredis';

export interface SignInLimits {
  /** Failed sign-ins of one agent id from one address. */
  perAgentAndAddress: number;
  /** Failed sign-ins of one agent id from anywhere: caps guessing spread over many addresses. */
  perAgent: number;
  /** Failed sign-ins from one address, whatever the id or token: caps trying many ids. */
  perAddress: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { perAgentAndAddress: 5, perAgent: 30, perAddress: 50, windowMs: 15 * 60_000 };

/** Who is signing in: the agent id typed (absent for a token) and the client's address. */
export interface SignInAttempt {
  agentId?: string;
  address: string;
}

/**
 * Failed console sign-ins, counted in Redis so that every server process sees the same counts: past a limit in the
 * window, sign-in is refused (429) until the window of the count that hit it passes, right password or not, so
 * passwords cannot be guessed at speed. A right password clears the count of that agent at that address.
 */
export class SignInThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: SignInLimits = SIGN_IN_LIMITS) {}

  /** 0 when the attempt may go ahead; otherwise how long (ms) until it may. */
  async waitMs(attempt: SignInAttempt): Promise<number> {
    const counts = this.counts(attempt);
    const pipeline = this.redis.multi();
    for (const { key } of counts) pipeline.get(key).pttl(key);
    const results = (await pipeline.exec()) ?? [];
    let wait = 0;
    counts.forEach(({ limit }, i) => {
      const failures = Number(results[i * 2]?.[1] ?? 0);
      const ttl = Number(results[i * 2 + 1]?.[1] ?? 0);
      if (failures >= limit) wait = Math.max(wait, ttl > 0 ? ttl : this.limits.windowMs);
    });
    return wait;
  }

  async failed(attempt: SignInAttempt): Promise<void> {
    const pipeline = this.redis.multi();
    // The window starts at the first failure; later failures do not extend it.
    for (const { key } of this.counts(attempt)) pipeline.set(key, 0, 'PX', this.limits.windowMs, 'NX').incr(key);
    await pipeline.exec();
  }

  async succeeded(attempt: SignInAttempt): Promise<void> {
    if (attempt.agentId !== undefined) await this.redis.del(this.key('agent-address', attempt.agentId, attempt.address));
  }

  private counts(attempt: SignInAttempt): { key: string; limit: number }[] {
    const { agentId, address } = attempt;
    const counts = [{ key: this.key('address', address), limit: this.limits.perAddress }];
    if (agentId !== undefined) {
      counts.push({ key: this.key('agent', agentId), limit: this.limits.perAgent });
      counts.push({ key: this.key('agent-address', agentId, address), limit: this.limits.perAgentAndAddress });
    }
    return counts;
  }

  private key(kind: string, ...parts: string[]): string {
    return `${this.prefix}:sign-in-failures:${kind}:${parts.map(encodeURIComponent).join(':')}`;
  }
}
