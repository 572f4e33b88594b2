import type { Address, Attachment, Button } from './message.ts';

/** What a channel can show; the outbox renders every outbound message to fit. */
export interface ChannelCapabilities {
  /** Native buttons / quick replies. Without them buttons become a numbered list. */
  buttons: boolean;
  /** Most buttons one message can carry; extra ones fall back to the numbered list. */
  maxButtons: number;
  /** Longest text one message may carry; longer text is split at a sentence boundary. */
  maxTextLength: number;
  markdown: boolean;
  media: boolean;
  /**
   * Free-form messages are allowed only for a while after the customer's last message (WhatsApp's 24-hour window).
   * Its `send` may throw CHANNEL_SEND_DEFERRED; the message then waits, and goes when the customer writes again.
   */
  serviceWindow?: boolean;
}

/** An outbound message after rendering: it fits the channel it is sent on. */
export interface RenderedMessage {
  /** Store id of the outbound message, so a channel can tag what it sends (e.g. for client-side dedupe). */
  id: string;
  text: string;
  buttons: Button[];
  attachments: Attachment[];
  /**
   * The channel's id (the adapter's own `InboundMessage.externalId`) of the customer's message this answers, so a
   * channel that threads can place it there (Bot Framework: replyToId). Absent for messages Parley started later:
   * an agent's reply, a notification, a greeting.
   */
  replyTo?: string;
  /** The display name of the person who wrote it (an agent's reply), for channels that show one. */
  senderName?: string;
}

export interface SendResult {
  /** The channel's id for the sent message, when it gives one. */
  externalId?: string;
}

/**
 * A channel whose sending is a publish on Redis (the web chat's live sockets). The outbox then publishes all of a
 * turn's replies, each checked and marked as sent, in one script: one round trip for the turn's delivery.
 */
export interface LivePublishing {
  /** The Redis channel the conversation's frames are published on. */
  topic(address: Address): string;
  /** The frame `send` would publish for this message. */
  frame(address: Address, message: RenderedMessage): string;
  /** Frames that go out first, in the same round trip (the web chat: the customer's message, for their other tabs). */
  before?(address: Address): string[];
}

/** The one interface between Parley's core and a channel. */
export interface ChannelAdapter {
  readonly id: string;
  readonly capabilities: ChannelCapabilities;
  /** Deliver one rendered message. Throw to have the outbox retry; throw a permanent ParleyError to give up. */
  send(address: Address, message: RenderedMessage): Promise<SendResult>;
  /** Present when `send` is a publish on Redis: the outbox publishes a turn's replies at once. */
  readonly live?: LivePublishing;
}

/** How long a channel's API may take to accept one message (CHANNEL_SEND_TIMEOUT_MS unless configured otherwise). */
export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
