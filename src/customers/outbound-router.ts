import type { Address } from '../core/message.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation, NewOutbound, Store, StoredMessage } from '../store/types.ts';
import { noConsentReason, type ConsentLedger, type Purpose } from './consent-ledger.ts';
import { preferredChannel, type CustomerDirectory } from './customer-directory.ts';

/** The customer's conversations, as the store keeps them. */
export type CustomerConversations = Pick<Store, 'latestConversation' | 'channelsByRecency'>;

export interface OutboundRouterOptions {
  /** The messages Parley starts and the customer's conversations are the store's (src/store owns those tables). */
  store: Pick<Store, 'insertStarted' | 'setPurpose' | 'movePending'> & CustomerConversations;
  directory: CustomerDirectory;
  ledger: ConsentLedger;
  /** Hands messages to the outbox: delivered in order per conversation. */
  deliver: (conversationId: string, address: Address, messages: StoredMessage[]) => void;
  /** Marks a message failed for good, with the reason agents read on it. */
  fail: (messageId: string, reason: string) => Promise<void>;
  /** Whether the customer has this web chat open right now (a live connection, on any server process). */
  isLive: (conversation: Conversation) => Promise<boolean>;
  /** Whether Parley can send on a channel (it is configured). */
  enabled: (channel: string) => boolean;
  logger: Logger;
}

/** What became of a message Parley started. */
export type StartedOutcome =
  | { sent: true; message: StoredMessage; conversation: Conversation }
  | { sent: false; message: StoredMessage | null; conversation: Conversation | null; reason: string; code: 'NO_CONSENT' | 'NO_REACHABLE_CHANNEL' };

/**
 * Where messages Parley starts go, and whether they may go at all. Replies to a customer's message always go where
 * the customer wrote (the inbox sends them directly). A message Parley starts — an agent's reply, a notification —
 * goes to the customer's preferred channel (the one they chose, else the one they last wrote on): to the latest
 * conversation there, except that a customer who has the web chat open right now is answered there, and a web chat
 * nobody has open is passed over for the next channel the customer uses. Every such message is checked against the
 * consent ledger for its purpose on the channel it would go to: without consent it is not sent, it is marked failed
 * with the reason, and the refusal is recorded.
 */
export class OutboundRouter {
  constructor(private readonly options: OutboundRouterOptions) {}

  /** The conversation a message Parley starts for this customer goes to; `origin` is where it came up, if anywhere. */
  async route(customerId: string, origin?: Conversation): Promise<Conversation | null> {
    const { directory, store, isLive, enabled } = this.options;
    if (origin?.channel === 'web' && (await isLive(origin))) return origin;
    const profile = await directory.profile(customerId);
    if (!profile) return null;
    const preferred = preferredChannel(profile) ?? origin?.channel;
    const channels = [...new Set([...(preferred ? [preferred] : []), ...(await store.channelsByRecency(customerId))])];
    let closedWeb: Conversation | undefined;
    for (const channel of channels) {
      if (!enabled(channel)) continue;
      const conversation = origin?.channel === channel ? origin : await store.latestConversation(customerId, channel);
      if (!conversation) continue;
      if (channel === 'web' && !(await isLive(conversation))) {
        closedWeb ??= conversation;
        continue;
      }
      return conversation;
    }
    // Nowhere live: the web chat keeps it in its history, where the customer finds it when they come back.
    return closedWeb ?? origin ?? null;
  }

  /**
   * Messages Parley started in `origin` (by the handoff: agents' replies, queue notices, the rating question).
   * Agents' replies are routed as above; the other notices belong to the conversation they are about. All are
   * purpose `service`, and all go through the ledger.
   */
  async dispatchStarted(origin: Conversation, messages: StoredMessage[], routed: ReadonlySet<string>): Promise<void> {
    for (const message of messages) {
      if (message.status !== 'pending') continue;
      const target = routed.has(message.id) ? ((await this.route(origin.customerId, origin)) ?? origin) : origin;
      const moved = target.id === origin.id ? message : await this.move(message, target);
      await this.gateAndDeliver(target, moved, 'service', 'handoff');
    }
  }

  /** Stores a message Parley starts in this conversation, checks it against the ledger, and sends it or refuses it. */
  async start(conversation: Conversation, message: NewOutbound, purpose: Purpose, source: string): Promise<StartedOutcome> {
    const stored = await this.options.store.insertStarted(conversation, message, purpose);
    return this.gateAndDeliver(conversation, stored, purpose, source);
  }

  private async gateAndDeliver(conversation: Conversation, message: StoredMessage, purpose: Purpose, source: string): Promise<StartedOutcome> {
    const { ledger, store } = this.options;
    if (!(await ledger.isGranted(conversation.customerId, conversation.channel, purpose))) {
      const reason = noConsentReason(purpose, conversation.channel);
      await store.setPurpose(message.id, purpose);
      await this.options.fail(message.id, reason);
      await ledger.refuse({ customerId: conversation.customerId, channel: conversation.channel, purpose, source, reason, messageId: message.id });
      this.options.logger.info({ messageId: message.id, conversationId: conversation.id, channel: conversation.channel, purpose }, 'message not sent: no consent');
      return { sent: false, message: { ...message, status: 'failed', lastError: reason }, conversation, reason, code: 'NO_CONSENT' };
    }
    this.options.deliver(conversation.id, conversation.address, [message]);
    return { sent: true, message, conversation };
  }

  /** Moves a pending message into the conversation it is delivered in, so its window, retries and statuses follow. */
  private async move(message: StoredMessage, target: Conversation): Promise<StoredMessage> {
    return (await this.options.store.movePending(message.id, target)) ?? message;
  }
}
