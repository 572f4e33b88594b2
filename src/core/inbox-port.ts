import type { Address, InboundMessage } from './message.ts';

/** A message as adapters see it after the inbox stored it. */
export interface AcceptedMessage {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  externalId: string | null;
  text: string | null;
  payload: string | null;
  buttons: { title: string; payload: string }[];
  createdAt: Date;
  /** For an agent's reply: who wrote it. */
  senderName?: string | null;
}

export interface ReceiveResult {
  inbound: AcceptedMessage;
  /** The replies of this message's turn (for a duplicate delivery: the first delivery's replies). */
  replies: AcceptedMessage[];
  duplicate: boolean;
  /**
   * The language the bot speaks in the conversation after this message (as `InboxPort.locale` would answer), when
   * the turn read it; absent: ask `locale`.
   */
  locale?: string | null;
}

export interface ReceiveOptions {
  /** Called once the message is stored, before its turn runs (not for duplicates). */
  onAccepted?: (message: AcceptedMessage) => void;
}

/** What an adapter may ask of the core: hand in a message, open a conversation, read its transcript. */
export interface InboxPort {
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<ReceiveResult>;
  /**
   * Opens the conversation at `address` and runs the greeting once, the first time only, in `locale` (the channel's
   * or browser's language) unless the customer has chosen one.
   */
  open(address: Address, options?: { profile?: { name?: string }; locale?: string }): Promise<{ replies: AcceptedMessage[] }>;
  /** The conversation's messages, oldest first; empty when the conversation does not exist yet. */
  history(channel: string, conversationExternalId: string, limit?: number): Promise<AcceptedMessage[]>;
  /**
   * The language the bot speaks in the conversation: the one the customer chose or writes in, else the channel's
   * (`de`, `en-US`); null while the conversation does not exist or neither is known. A client shows its own text in it.
   */
  locale(channel: string, conversationExternalId: string): Promise<string | null>;
}
