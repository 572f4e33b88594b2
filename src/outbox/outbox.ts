import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelAdapter } from '../core/channel.ts';
import { isParleyError } from '../core/errors.ts';
import type { Address } from '../core/message.ts';
import { batched } from '../infra/batch.ts';
import type { Logger } from '../infra/logger.ts';
import type { Store, StoredMessage } from '../store/types.ts';
import { claimKey, publishAll, SENT_MARKER_SECONDS, sentKey } from './live-delivery.ts';
import { renderForChannel } from './render.ts';

export interface OutboxOptions {
  store: Store;
  channels: ReadonlyMap<string, ChannelAdapter>;
  logger: Logger;
  /** Used to claim a message before sending it, so two processes never send the same one. */
  redis: Redis;
  maxAttempts: number;
  /** Delay before retry n (1-based). Default: 500 ms doubling, at most 30 s. */
  backoffMs?: (attempt: number) => number;
  /** How long a claim on a message lasts. Default 60 s. */
  claimTtlMs?: number;
}

/**
 * Takes the claim, or keeps it when it is already ours: this process sends a message from one place at a time
 * (`inFlight`), so a claim of ours that is still there was left by a release that failed, e.g. while Redis was down
 * (it comes back with Redis's append-only file, and would hold the reply back for the claim's whole TTL).
 */
const CLAIM = `local v = redis.call('get', KEYS[1])
if v == false or v == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const defaultBackoff = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 30_000);

/**
 * Delivers persisted replies to their channels, in order per conversation, retrying failures with backoff. Every
 * message it sends is already in the store as pending, so a crash loses nothing: `sweep()` finds what is left.
 */
export class Outbox {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly backoff: (attempt: number) => number;
  private readonly claimTtlMs: number;
  /** This process's claims carry this token, so a claim it failed to release (Redis was down) does not block it. */
  private readonly claimToken = randomUUID();

  /**
   * Published replies are recorded as sent together, whichever conversations they belong to: one statement while the
   * previous one runs (src/infra/batch.ts). Until it is recorded, a reply's sent marker in Redis keeps a sweep from
   * sending it again.
   */
  private readonly recordSent = batched(async (ids: string[]) => {
    await this.options.store.markAllSent(ids);
    return new Map<string, void>();
  });

  constructor(private readonly options: OutboxOptions) {
    this.backoff = options.backoffMs ?? defaultBackoff;
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
  }

  /** Queues messages for delivery after those already queued for the same conversation. Does not wait. */
  dispatch(conversationId: string, address: Address, messages: StoredMessage[]): Promise<void> {
    const pending = messages.filter((m) => m.status === 'pending' && !this.inFlight.has(m.id));
    if (pending.length === 0) return this.chains.get(conversationId) ?? Promise.resolve();
    for (const message of pending) this.inFlight.add(message.id);
    return this.enqueue(conversationId, () => this.deliverLive(address, pending) ?? this.deliverAll(address, pending));
  }

  /**
   * On a live channel (the web chat), the messages are published, and recorded as sent, together: one round trip to
   * Redis for all of a turn's replies, and one statement to the store for those of every turn published meanwhile
   * (recordSent). Undefined for other channels. When Redis fails, they take the one-by-one path with its retries.
   */
  private deliverLive(address: Address, messages: StoredMessage[]): Promise<void> | undefined {
    const channel = this.options.channels.get(address.channel);
    if (!channel?.live || this.stopping) return undefined;
    const live = { ...channel, live: channel.live };
    return (async () => {
      let published: string[];
      try {
        published = await publishAll(this.options.redis, live, address, messages, this.claimToken);
      } catch (error) {
        this.options.logger.warn({ channel: address.channel, err: String(error) }, 'replies not published at once; sending them one by one');
        return this.deliverAll(address, messages);
      }
      // The rest are another process's, which claimed them: a later sweep finds them if that process dies.
      for (const message of messages) this.inFlight.delete(message.id);
      await Promise.all(published.map((id) => this.recordSent(id))).catch((error: unknown) => {
        this.options.logger.error({ channel: address.channel, err: String(error) }, 'replies sent but not recorded as sent');
      });
    })();
  }

  /**
   * The customer wrote: on a channel with a service window, the replies that were waiting for them go out now,
   * before anything dispatched after this call. Does not wait.
   */
  resumeWaiting(conversationId: string, address: Address): Promise<void> {
    if (!this.options.channels.get(address.channel)?.capabilities.serviceWindow) return Promise.resolve();
    return this.enqueue(conversationId, async () => {
      const released = await this.options.store.releaseWaiting(conversationId).catch((error: unknown) => {
        // They stay waiting, and are tried again when the customer next writes.
        this.options.logger.warn({ conversationId, err: String(error) }, 'could not release replies waiting for the customer');
        return [];
      });
      const mine = released.filter((m) => !this.inFlight.has(m.id));
      for (const message of mine) this.inFlight.add(message.id);
      await this.deliverAll(address, mine);
    });
  }

  private async deliverAll(address: Address, messages: StoredMessage[]): Promise<void> {
    for (const message of messages) {
      try {
        await this.deliver(address, message);
      } finally {
        this.inFlight.delete(message.id);
      }
    }
  }

  private enqueue(conversationId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work);
    this.chains.set(conversationId, next);
    void next.then(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    });
    return next;
  }

  private async deliver(address: Address, message: StoredMessage): Promise<void> {
    const { store, logger, maxAttempts, redis } = this.options;
    const channel = this.options.channels.get(address.channel);
    const log = logger.child({ messageId: message.id, channel: address.channel });
    if (!channel) {
      await store.markAttemptFailed(message.id, `channel ${address.channel} is not enabled`, true);
      log.error('reply not sent: its channel is not enabled');
      return;
    }
    const claim = claimKey(message);
    const sent = sentKey(message);
    for (let attempt = message.attempts + 1; attempt <= maxAttempts && !this.stopping; attempt++) {
      const claimed = await redis.eval(CLAIM, 1, claim, this.claimToken, String(this.claimTtlMs)).catch(() => 0);
      if (claimed !== 1) {
        // Another process is sending it, or Redis is down: a later sweep picks it up if it is still pending.
        return;
      }
      if (await redis.exists(sent).catch(() => 0)) {
        // Sent before, but the store never heard of it: record it, never send it twice.
        await store.markSent(message.id).catch(() => {});
        return;
      }
      let externalId: string | undefined;
      try {
        for (const part of renderForChannel(message, channel.capabilities)) {
          const result = await channel.send(address, part);
          externalId ??= result.externalId;
        }
      } catch (error) {
        if (isParleyError(error, 'CHANNEL_SEND_DEFERRED')) {
          // Not an attempt: the reply waits for the customer's next message (resumeWaiting), untouched by sweeps.
          await store.markWaiting(message.id, error.message).catch(() => {});
          await redis.del(claim).catch(() => {});
          log.info('reply waits for the customer to write again');
          return;
        }
        const permanent = isParleyError(error, 'CHANNEL_SEND_REJECTED');
        const final = permanent || attempt >= maxAttempts;
        const reason = error instanceof Error ? error.message : String(error);
        await store.markAttemptFailed(message.id, reason, final).catch(() => {});
        await redis.del(claim).catch(() => {});
        log.warn({ attempt, final, err: reason }, 'reply delivery failed');
        if (final) return;
        await new Promise((resolve) => setTimeout(resolve, this.backoff(attempt)));
        continue;
      }
      await redis.set(sent, '1', 'EX', SENT_MARKER_SECONDS).catch(() => {});
      await store.markSent(message.id, externalId).catch((error: unknown) => {
        log.error({ err: String(error) }, 'reply sent but not recorded as sent');
      });
      await redis.del(claim).catch(() => {});
      return;
    }
  }

  /** Re-dispatches pending replies older than `minAgeMs` that no one in this process is sending. */
  async sweep(minAgeMs = 10_000): Promise<number> {
    const { store } = this.options;
    const stale = await store.pendingOutbound(new Date(Date.now() - minAgeMs), 500);
    const byConversation = new Map<string, StoredMessage[]>();
    for (const message of stale) {
      if (this.inFlight.has(message.id)) continue;
      byConversation.set(message.conversationId, [...(byConversation.get(message.conversationId) ?? []), message]);
    }
    for (const [conversationId, messages] of byConversation) {
      const conversation = await store.getConversation(conversationId);
      if (conversation) void this.dispatch(conversationId, conversation.address, messages);
    }
    return [...byConversation.values()].reduce((sum, list) => sum + list.length, 0);
  }

  startSweeper(intervalMs = 5_000): void {
    this.sweeper = setInterval(() => {
      this.sweep().catch((error) => this.options.logger.warn({ err: String(error) }, 'outbox sweep failed'));
    }, intervalMs);
    this.sweeper.unref();
  }

  /** Stops retrying and waits (at most `timeoutMs`) for deliveries under way. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.chains.values()]), timeout]);
    clearTimeout(timer);
    this.stopping = true;
  }
}
