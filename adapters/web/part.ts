import type { PartFactory } from '../../src/core/part.ts';
import { LiveHub } from './live-hub.ts';
import { WEB_CHANNEL } from './normalize.ts';
import { registerWebRoutes } from './routes.ts';
import { createWebSender } from './send.ts';

/** What a test may set on the web chat: the clock its rate limits count by. */
export interface WebOverrides {
  rateClock?: () => number;
}

/** The web chat: always on. Its frames reach the sockets of every server process through Redis (live-hub.ts). */
export const webPart = (overrides: WebOverrides = {}): PartFactory => ({ config, logger, redis }) => {
  const hub = new LiveHub(redis.client, redis.duplicate());
  return {
    name: WEB_CHANNEL,
    channel: createWebSender(hub),
    presence: {
      isLive: (conversationId) => hub.isLive(conversationId),
      agentTyping: (conversationId, name) => hub.publish(conversationId, { type: 'typing', who: 'agent', name }),
    },
    routes: {
      // The widget is embedded on other origins.
      publicPrefixes: ['/api/webchat'],
      register: (scope, { inbox, handoff }) => registerWebRoutes(scope, {
        inbox, hub, logger, config: config.web, ...(overrides.rateClock ? { rateClock: overrides.rateClock } : {}),
        ...(handoff ? { customerTyping: (conversationId: string) => handoff.customerTyping(WEB_CHANNEL, conversationId), status: () => handoff.service.hours.availability() } : {}),
      }),
    },
  };
};
