import type { Redis } from 'ioredis';

export interface SignInLimits {
  /** Failed sign-ins of one agent id from one address (the next attempt is refused). */
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
 * Console sign-ins, counted in Redis so that every server process sees the same counts. Each attempt is counted
 * before its password is checked (an atomic INCR per count), so a burst of parallel guesses is held to the limit as
 * well as a slow series; past a limit in the window, sign-in is refused (429) until the window of the count that hit
 * it passes, right password or not. A right password takes its attempt back off the counts and clears that agent's
 * count at that address, so only failures add up.
 */
export class SignInThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: SignInLimits = SIGN_IN_LIMITS) {}

  /** Counts the attempt; 0 when it may go ahead, otherwise how long (ms) until one may. */
  async admit(attempt: SignInAttempt): Promise<number> {
    const counts = this.counts(attempt);
    const pipeline = this.redis.multi();
    // The window starts at the first attempt; later ones do not extend it.
    for (const { key } of counts) pipeline.set(key, 0, 'PX', this.limits.windowMs, 'NX').incr(key).pttl(key);
    const results = (await pipeline.exec()) ?? [];
    let wait = 0;
    counts.forEach(({ limit }, i) => {
      const attempts = Number(results[i * 3 + 1]?.[1] ?? 0);
      const ttl = Number(results[i * 3 + 2]?.[1] ?? 0);
      if (attempts > limit) wait = Math.max(wait, ttl > 0 ? ttl : this.limits.windowMs);
    });
    return wait;
  }

  /** The right password: this attempt was no failure. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    const counts = this.counts(attempt);
    const pipeline = this.redis.multi();
    for (const { key, kind } of counts) {
      if (kind === 'agent-address') pipeline.del(key);
      else pipeline.decr(key);
    }
    const results = (await pipeline.exec()) ?? [];
    // A count whose window ended in between was created again by DECR, at -1 and without an expiry: it goes.
    const recreated = counts.filter(({ kind }, i) => kind !== 'agent-address' && Number(results[i]?.[1]) < 0).map(({ key }) => key);
    if (recreated.length > 0) await this.redis.del(...recreated);
  }

  private counts(attempt: SignInAttempt): { key: string; kind: string; limit: number }[] {
    const { agentId, address } = attempt;
    const counts = [{ key: this.key('address', address), kind: 'address', limit: this.limits.perAddress }];
    if (agentId !== undefined) {
      counts.push({ key: this.key('agent', agentId), kind: 'agent', limit: this.limits.perAgent });
      counts.push({ key: this.key('agent-address', agentId, address), kind: 'agent-address', limit: this.limits.perAgentAndAddress });
    }
    return counts;
  }

  private key(kind: string, ...parts: string[]): string {
    return `${this.prefix}:sign-in-failures:${kind}:${parts.map(encodeURIComponent).join(':')}`;
  }
}
