/**
 * In-process token buckets, one per key: `perMinute` tokens at most, refilled evenly over a minute. Counted in this
 * process only (no Redis round trip per request), so with several processes a client gets up to that many times the
 * limit: approximate, which is what a flood guard needs. Memory is bounded: past `maxKeys` the least recently used
 * keys are forgotten (a forgotten key starts full again).
 */
export interface TokenBucketOptions {
  /** Tokens per minute, which is also the burst; 0 turns the limit off. */
  perMinute: number;
  /** How many keys to remember. Default 100,000 (a few MB). */
  maxKeys?: number;
  now?: () => number;
}

/** Whether the request may go on; otherwise in how many milliseconds one token is back. */
export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    this.capacity = options.perMinute;
    this.perMs = options.perMinute / 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token from `key`'s bucket. */
  take(key: string): TakeResult {
    if (this.capacity <= 0) return { ok: true };
    const now = this.now();
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(this.capacity, previous.tokens + (now - previous.at) * this.perMs) : this.capacity;
    // Re-inserted so the Map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.perMs) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return { ok: true };
  }
}
