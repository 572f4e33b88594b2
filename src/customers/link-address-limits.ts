import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LinkLimits } from './customers-config.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Linking, counted per client address (the web chat's visitors are anonymous, and a new conversation is a new
 * customer, so only their address ties their attempts together). Counted in Redis, so that every server process sees
 * the same counts and a restart forgets nothing; each count is a window that starts at its first attempt. Addresses
 * are kept only as a hash in the key's name, for at most a day.
 */
export class LinkAddressLimits {
  constructor(
    private readonly redis: Redis,
    private readonly limits: Pick<LinkLimits, 'attemptsPerAddressPerHour' | 'codesPerAddressPerDay'>,
    /** HANDOFF_QUEUE_PREFIX, like the sign-in counts: keys are `<prefix>:link:attempts:<hash>`. */
    private readonly prefix: string,
  ) {}

  /** Counts a link request or a typed code from this address; false when it is past the hour's limit. */
  attempt(address: string | undefined): Promise<boolean> {
    return this.count('attempts', address, this.limits.attemptsPerAddressPerHour, HOUR_MS);
  }

  /** Counts a code about to be sent to a number on behalf of this address; false when it is past the day's limit. */
  send(address: string | undefined): Promise<boolean> {
    return this.count('sends', address, this.limits.codesPerAddressPerDay, DAY_MS);
  }

  private async count(kind: string, address: string | undefined, limit: number, windowMs: number): Promise<boolean> {
    // Channels without a client address rely on the limits per customer and per identity.
    if (address === undefined) return true;
    const key = `${this.prefix}:link:${kind}:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
    const results = (await this.redis.multi().set(key, 0, 'PX', windowMs, 'NX').incr(key).exec()) ?? [];
    return Number(results[1]?.[1] ?? 0) <= limit;
  }
}
