import type { PartFactory } from '../../src/core/part.ts';
import { WHATSAPP_CHANNEL } from './normalize.ts';
import { registerWhatsAppRoutes } from './routes.ts';
import { createWhatsAppSender } from './send.ts';

/** The WhatsApp Cloud API channel: on when its settings are (config.ts). */
export const whatsappCloudPart: PartFactory = ({ config, logger, store }) => {
  const settings = config.whatsapp;
  if (!settings) return undefined;
  const { graphUrl, accessToken, template } = settings;
  return {
    name: WHATSAPP_CHANNEL,
    channel: createWhatsAppSender({
      graphUrl, accessToken, template, timeoutMs: config.channelSendTimeoutMs,
      lastInboundAt: (address) => store.lastInboundAt(address.channel, address.conversationId),
    }),
    routes: {
      register: (scope, { inbox }) => registerWhatsAppRoutes(scope, {
        verifyToken: settings.verifyToken, appSecret: settings.appSecret, inbox, logger,
        recordStatus: (update) => store.recordDeliveryStatus(WHATSAPP_CHANNEL, update.externalId, update.status, update.error),
      }),
    },
  };
};
