import type { Redis } from 'ioredis';
import type { ChannelAdapter } from '../core/channel.ts';
import { isParleyError } from '../core/errors.ts';
import type { Address } from '../core/message.ts';
import type { Logger } from '../infra/logger.ts';
import type { Store, StoredMessage } from '../store/types.ts';
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

  constructor(private readonly options: OutboxOptions) {
    this.backoff = options.backoffMs ?? defaultBackoff;
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
  }

  /** Queues messages for delivery after those already queued for the same conversation. Does not wait. */
  dispatch(conversationId: string, address: Address, messages: StoredMessage[]): Promise<void> {
    const pending = messages.filter((m) => m.status === 'pending' && !this.inFlight.has(m.id));
    if (pending.length === 0) return this.chains.get(conversationId) ?? Promise.resolve();
    for (const message of pending) this.inFlight.add(message.id);
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (const message of pending) {
        try {
          await this.deliver(address, message);
        } finally {
          this.inFlight.delete(message.id);
        }
      }
    });
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
    // Message ids are per database; the conversation's uuid keeps keys apart when databases share one Redis.
    const claimKey = `parley:outbox:claim:${message.conversationId}:${message.id}`;
    const sentKey = `parley:outbox:sent:${message.conversationId}:${message.id}`;
    for (let attempt = message.attempts + 1; attempt <= maxAttempts && !this.stopping; attempt++) {
      const claimed = await redis.set(claimKey, '1', 'PX', this.claimTtlMs, 'NX').catch(() => null);
      if (claimed !== 'OK') {
        // Another process is sending it, or Redis is down: a later sweep picks it up if it is still pending.
        return;
      }
      if (await redis.exists(sentKey).catch(() => 0)) {
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
        const permanent = isParleyError(error, 'CHANNEL_SEND_REJECTED');
        const final = permanent || attempt >= maxAttempts;
        const reason = error instanceof Error ? error.message : String(error);
        await store.markAttemptFailed(message.id, reason, final).catch(() => {});
        await redis.del(claimKey).catch(() => {});
        log.warn({ attempt, final, err: reason }, 'reply delivery failed');
        if (final) return;
        await new Promise((resolve) => setTimeout(resolve, this.backoff(attempt)));
        continue;
      }
      await redis.set(sentKey, '1', 'EX', 7 * 24 * 3600).catch(() => {});
      await store.markSent(message.id, externalId).catch((error: unknown) => {
        log.error({ err: String(error) }, 'reply sent but not recorded as sent');
      });
      await redis.del(claimKey).catch(() => {});
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
