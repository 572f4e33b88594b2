/**
 * Parley's normalized message types. Every channel adapter translates its wire format into these and back;
 * nothing channel-specific crosses into src/.
 */

/** Where a message came from and where its answer goes. */
export interface Address {
  /** Channel id, e.g. `web`, `whatsapp`, `slack`, `botframework`. */
  channel: string;
  /** The conversation as the channel names it (a web chat session id, a WhatsApp chat id, …). */
  conversationId: string;
  /** The customer as the channel names them (a phone number, a Slack user id, …). */
  userId: string;
}

/** A button or quick reply. `payload` is what the bot receives when the customer presses it. */
export interface Button {
  title: string;
  payload: string;
}

export type AttachmentKind = 'image' | 'audio' | 'video' | 'file' | 'location';

/** Media is carried by reference, never inline. */
export interface Attachment {
  kind: AttachmentKind;
  url?: string;
  mimeType?: string;
  name?: string;
  caption?: string;
}

/** One message from a customer, as every adapter hands it to the inbox. */
export interface InboundMessage {
  address: Address;
  /** The channel's own id for this message; a second delivery with the same id is a duplicate. */
  externalId: string;
  text?: string;
  /** Set when the customer pressed a button instead of typing. */
  payload?: string;
  attachments?: Attachment[];
  receivedAt: Date;
  locale?: string;
  profile?: { name?: string };
  /**
   * The client's network address, for channels whose customers connect to Parley themselves (the web chat:
   * Fastify's `request.ip`, which honours TRUST_PROXY). Used only to limit what one client may try (linking); never
   * stored, never logged with the message.
   */
  clientAddress?: string;
}

/** One message to a customer, before it is rendered for a channel's capabilities. */
export interface OutboundMessage {
  text: string;
  buttons?: Button[];
  attachments?: Attachment[];
}
