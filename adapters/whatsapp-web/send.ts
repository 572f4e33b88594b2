import type { ChannelAdapter, ChannelCapabilities, RenderedMessage, SendResult } from '../../src/core/channel.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Address } from '../../src/core/message.ts';
import { chatOf, MAX_TEXT_LENGTH, WHATSAPP_WEB_CHANNEL } from './normalize.ts';

/**
 * No native buttons: whatsapp-web.js's Buttons and List are no longer delivered by WhatsApp, so the outbox renders
 * buttons as a numbered list (and the engine maps a typed "2" back to the button). Long text is split by the outbox.
 */
export const whatsappWebCapabilities: ChannelCapabilities = {
  buttons: false,
  maxButtons: 0,
  maxTextLength: MAX_TEXT_LENGTH,
  markdown: false,
  media: false,
  serviceWindow: true,
};

export const outsideWindow = (hours: number) =>
  `waiting: outside the ${hours}-hour window since the customer's last message (WHATSAPP_WEB_WINDOW_HOURS) — sent when the customer writes again`;

export interface WhatsAppWebSenderOptions {
  /** Sends through the connected client; returns the sent message's id (`id._serialized`). */
  sendText: (chatId: string, text: string) => Promise<string | undefined>;
  /** 0: no window. */
  windowMs: number;
  /** When the customer last wrote in this conversation (null: never). */
  lastInboundAt: (address: Address) => Promise<Date | null>;
  now?: () => Date;
}

/**
 * Replies through `client.sendMessage`. A failure is thrown as it is, so the outbox retries it with backoff and
 * finally marks the message failed for agents to see. Outside the window a reply waits (CHANNEL_SEND_DEFERRED).
 */
export function createWhatsAppWebSender(options: WhatsAppWebSenderOptions): ChannelAdapter {
  const now = options.now ?? (() => new Date());
  return {
    id: WHATSAPP_WEB_CHANNEL,
    capabilities: whatsappWebCapabilities,
    async send(address: Address, message: RenderedMessage): Promise<SendResult> {
      const chatId = chatOf(address);
      if (!chatId) throw new ParleyError('CHANNEL_SEND_REJECTED', `not a WhatsApp Web address: ${address.conversationId}`);
      if (options.windowMs > 0) {
        const last = await options.lastInboundAt(address);
        if (!last || now().getTime() - last.getTime() > options.windowMs) {
          throw new ParleyError('CHANNEL_SEND_DEFERRED', outsideWindow(Math.round((options.windowMs / 3600_000) * 100) / 100));
        }
      }
      if (message.text.trim() === '') return {};
      const externalId = await options.sendText(chatId, message.text);
      return externalId ? { externalId } : {};
    },
  };
}
