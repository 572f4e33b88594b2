import type { PartFactory } from '../../src/core/part.ts';
import { createWhatsAppWebChannel, type WhatsAppWebOverrides } from './channel.ts';
import { WHATSAPP_WEB_CHANNEL } from './normalize.ts';

/**
 * The WhatsApp Web channel (whatsapp-web.js): on when WHATSAPP_WEB is (config.ts). `overrides` replace the client
 * below the boundary and the connector's timings (tests).
 */
export function whatsappWebPart(overrides: WhatsAppWebOverrides = {}): PartFactory {
  return ({ config, logger, store, redis }) => {
    if (!config.whatsappWeb) return undefined;
    const channel = createWhatsAppWebChannel({
      settings: config.whatsappWeb, redis: redis.client, subscriber: redis.duplicate(), logger, ...overrides,
      lastInboundAt: (address) => store.lastInboundAt(address.channel, address.conversationId),
      recordAck: (externalId, status, error) => store.recordDeliveryStatus(WHATSAPP_WEB_CHANNEL, externalId, status, error),
    });
    return {
      name: WHATSAPP_WEB_CHANNEL,
      channel: channel.sender,
      routes: { register: (scope, { adminAuth }) => channel.register(scope, { adminAuth }) },
      // Joins the servers that may hold the number once this one listens.
      start: ({ inbox }) => channel.start(inbox),
      stop: () => channel.stop(),
    };
  };
}
