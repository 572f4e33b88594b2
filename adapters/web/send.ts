import type { ChannelAdapter, ChannelCapabilities, RenderedMessage } from '../../src/core/channel.ts';
import type { Address } from '../../src/core/message.ts';
import type { LiveHub } from './live-hub.ts';
import { MAX_TEXT_LENGTH, WEB_CHANNEL, type WireMessage } from './normalize.ts';

export const webCapabilities: ChannelCapabilities = {
  buttons: true,
  maxButtons: 10,
  maxTextLength: MAX_TEXT_LENGTH,
  markdown: false,
  media: true,
};

/**
 * Sending on the web means pushing to the conversation's open sockets. A widget that is closed now reads the
 * message from the history when it reconnects, so a publish that reaches nobody loses nothing.
 */
export function createWebSender(hub: LiveHub, now: () => Date = () => new Date()): ChannelAdapter {
  const frame = (message: RenderedMessage) => {
    const wire: WireMessage = {
      id: message.id,
      direction: 'out',
      text: message.text,
      buttons: message.buttons,
      createdAt: now().toISOString(),
      ...(message.senderName ? { sender: { name: message.senderName } } : {}),
    };
    return { type: 'message', message: wire };
  };
  return {
    id: WEB_CHANNEL,
    capabilities: webCapabilities,
    async send(address: Address, message: RenderedMessage) {
      await hub.publish(address.conversationId, frame(message));
      return {};
    },
    // The outbox publishes a turn's replies in one script (src/outbox/live-delivery.ts).
    live: {
      topic: (address) => hub.topic(address.conversationId),
      frame: (_address, message) => JSON.stringify(frame(message)),
      before: (address) => hub.takeHeld(address.conversationId),
    },
  };
}
