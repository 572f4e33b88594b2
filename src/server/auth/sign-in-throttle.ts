import type { Redis } from 'ioredis';
import { clientOf } from '../../infra/client-address.ts';

export interface SignInLimits {
  /** Failed sign-ins of one agent id from one address (the next attempt is refused). */
  perAgentAndAddress: number;
  /**
   * Failed sign-ins of one agent id from anywhere: caps guessing spread over many addresses. Past it, only addresses
   * that have not failed for that agent may still try, so one address cannot lock an agent out everywhere.
   */
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

// KEYS: address count, then (with an agent id) the agent's count and the agent-at-this-address count.
// ARGV: window ms, per-address limit, per-agent limit, per-agent-and-address limit.
// Returns 0 after counting the attempt, or the ms until one may try, without counting: a refused attempt is no
// guess, so it neither adds to a count nor extends a lock.
const ADMIT = `
local window = tonumber(ARGV[1])
local wait = 0
local function count(key) return tonumber(redis.call('GET', key) or '0') end
local function hold(key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = window end
  if ttl > wait then wait = ttl end
end
if count(KEYS[1]) >= tonumber(ARGV[2]) then hold(KEYS[1]) end
if #KEYS == 3 then
  local here = count(KEYS[3])
  if here >= tonumber(ARGV[4]) then hold(KEYS[3]) end
  if here > 0 and count(KEYS[2]) >= tonumber(ARGV[3]) then hold(KEYS[2]) end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'PX', window, 'NX')
  redis.call('INCR', key)
end
return 0
`;

/**
 * Console sign-ins (passwords, and bearer tokens wherever an agent credential is presented), counted in Redis so that
 * every server process sees the same counts. Each attempt is checked and counted in one atomic script before its
 * password is checked, so a burst of parallel guesses is held to the limit as well as a slow series. Past a limit in
 * the window, sign-in is refused (429) until the window of the count that hit it passes, right password or not; a
 * refused attempt is not counted. A right password takes its attempt back off the counts and clears that agent's
 * count at that address, so only failures add up. The window starts at a count's first failure and is not extended.
 */
export class SignInThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: SignInLimits = SIGN_IN_LIMITS) {}

  /** Counts the attempt; 0 when it may go ahead, otherwise how long (ms) until one may (and nothing was counted). */
  async admit(attempt: SignInAttempt): Promise<number> {
    const keys = this.counts(attempt).map(({ key }) => key);
    const { windowMs, perAddress, perAgent, perAgentAndAddress } = this.limits;
    return Number(await this.redis.eval(ADMIT, keys.length, ...keys, windowMs, perAddress, perAgent, perAgentAndAddress));
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

  /** In the order the script reads them: address, agent, agent at address. */
  private counts(attempt: SignInAttempt): { key: string; kind: string }[] {
    const { agentId } = attempt;
    const address = clientOf(attempt.address);
    const counts = [{ key: this.key('address', address), kind: 'address' }];
    if (agentId !== undefined) {
      counts.push({ key: this.key('agent', agentId), kind: 'agent' });
      counts.push({ key: this.key('agent-address', agentId, address), kind: 'agent-address' });
    }
    return counts;
  }

  private key(kind: string, ...parts: string[]): string {
    return `${this.prefix}:sign-in-failures:${kind}:${parts.map(encodeURIComponent).join(':')}`;
  }
}
