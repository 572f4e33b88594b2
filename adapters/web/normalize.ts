import { z } from 'zod';
import type { AcceptedMessage } from '../../src/core/inbox-port.ts';
import type { Address, InboundMessage } from '../../src/core/message.ts';

export const WEB_CHANNEL = 'web';
export const MAX_TEXT_LENGTH = 4096;

// NUL and other C0 controls (except tab and newlines) are refused: they are never typed, and PostgreSQL cannot store NUL.
const printable = (value: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value);

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits and . _ : -');

/** A BCP 47 language tag as browsers send it (`de`, `de-AT`, `en-US`). */
export const LocaleTag = z.string().max(35).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like de or en-US');

const text = z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).refine(printable, 'contains control characters');

/** Body of `POST /api/webchat/messages`. */
export const WebMessageBody = z
  .object({
    conversationId: id,
    messageId: id,
    text: text.optional(),
    payload: z.string().min(1).max(256).refine(printable, 'contains control characters').optional(),
    locale: LocaleTag.optional(),
  })
  .strict()
  .refine((body) => (body.text !== undefined && body.text.trim() !== '') || body.payload !== undefined, {
    message: 'text or payload is required',
  });
export type WebMessageBody = z.infer<typeof WebMessageBody>;

/** Frames the widget sends over the WebSocket. */
export const WebClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }),
  /** The customer is typing: shown to the agent who has the conversation, never stored. */
  z.object({ type: z.literal('typing') }),
  /** Asks again whether people are there (the status line): answered with a `status` frame. */
  z.object({ type: z.literal('status') }),
  z.object({
    type: z.literal('message'),
    messageId: id,
    text: text.optional(),
    payload: z.string().min(1).max(256).refine(printable, 'contains control characters').optional(),
  }),
]);
export type WebClientFrame = z.infer<typeof WebClientFrame>;

/** On the web the visitor is known only by their conversation: one anonymous identity per conversation. */
export function webAddress(conversationId: string): Address {
  return { channel: WEB_CHANNEL, conversationId, userId: conversationId };
}

/** Message ids are the widget's own, so they are scoped to the conversation before they are used for dedupe. */
export function toInbound(
  conversationId: string,
  message: { messageId: string; text?: string; payload?: string; locale?: string },
  now: Date,
  clientAddress?: string,
): InboundMessage {
  const inbound: InboundMessage = {
    address: webAddress(conversationId),
    externalId: `${conversationId}:${message.messageId}`,
    receivedAt: now,
  };
  if (message.text !== undefined && message.text.trim() !== '') inbound.text = message.text;
  if (message.payload !== undefined) inbound.payload = message.payload;
  if (message.locale !== undefined) inbound.locale = message.locale;
  if (clientAddress !== undefined) inbound.clientAddress = clientAddress;
  return inbound;
}

/** A message as the widget renders it. */
export interface WireMessage {
  id: string;
  direction: 'in' | 'out';
  text: string | null;
  buttons: { title: string; payload: string }[];
  createdAt: string;
  /** For the customer's own messages: the id the widget gave it, so the widget can reconcile its optimistic copy. */
  clientMessageId?: string;
  /** For an agent's reply: who wrote it, shown beside it. */
  sender?: { name: string };
}

export function toWire(message: AcceptedMessage): WireMessage {
  const wire: WireMessage = {
    id: message.id,
    direction: message.direction,
    text: message.text,
    buttons: message.buttons,
    createdAt: message.createdAt.toISOString(),
  };
  if (message.direction === 'in' && message.externalId) {
    wire.clientMessageId = message.externalId.slice(message.externalId.indexOf(':') + 1);
  }
  if (message.direction === 'out' && message.senderName) wire.sender = { name: message.senderName };
  return wire;
}
