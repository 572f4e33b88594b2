import { ParleyError } from '../../src/core/errors.ts';
import { clientOf } from '../../src/infra/client-address.ts';
import { TokenBuckets } from '../../src/infra/token-bucket.ts';

/**
 * The public web chat's flood guards, counted in this process (see TokenBuckets): per client address every request,
 * socket connection and socket frame; per conversation every message and greeting. IPv6 clients are counted per /64,
 * the block one subscriber usually holds.
 */
export class WebChatLimits {
  private readonly addresses: TokenBuckets;
  private readonly conversations: TokenBuckets;

  constructor(options: { addressLimit: number; conversationLimit: number; now?: () => number }) {
    const now = options.now ? { now: options.now } : {};
    this.addresses = new TokenBuckets({ perMinute: options.addressLimit, ...now });
    this.conversations = new TokenBuckets({ perMinute: options.conversationLimit, ...now });
  }

  /** Throws RATE_LIMITED (429, Retry-After) when the client's address is over its limit. */
  address(ip: string): void {
    refuseOver(this.addresses.take(clientOf(ip)));
  }

  /** Throws RATE_LIMITED (429, Retry-After) when the conversation is over its limit. */
  conversation(conversationId: string): void {
    refuseOver(this.conversations.take(conversationId));
  }
}

function refuseOver(result: ReturnType<TokenBuckets['take']>): void {
  if (result.ok) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new ParleyError('RATE_LIMITED', `too many messages; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}
