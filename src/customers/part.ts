import type { PartFactory } from '../core/part.ts';
import { createCustomerSystem } from './index.ts';

/**
 * The customer's choice (docs/customers.md): one customer across channels, the preferred channel, the consent ledger
 * (turn hooks that come first: STOP works in either mode), /api/notify and the agents' linking routes. Always on.
 */
export const customersPart: PartFactory = ({ config, logger, store, redis, customerData, services }) => {
  const customers = createCustomerSystem({
    config: config.customers, customerData, store, logger, redis: redis.client, redisPrefix: config.handoff.queuePrefix,
    deliver: (conversationId, address, messages) => services.deliver?.(conversationId, address, messages),
    isLive: async (conversation) => (await services.presence?.(conversation.channel)?.isLive(conversation.externalId).catch(() => false)) ?? false,
    enabled: (channel) => services.channelEnabled?.(channel) ?? false,
    handoffs: () => services.handoff?.service.handoffs,
  });
  return {
    name: 'customers',
    hooks: customers.hooks,
    provides: {
      dispatchStarted: (conversation, messages) => customers.dispatchStarted(conversation, messages),
      customerSummary: (customerId) => customers.directory.summary(customerId),
      customerRef: (ref) => customers.directory.resolveRef(ref),
      customerRecord: async (customerId) => ({ profile: await customers.directory.profile(customerId), consent: await customers.ledger.current(customerId) }),
    },
    routes: {
      register: (scope, { adminAuth }) => customers.register(scope, {
        actorOf: async (request) => {
          const admin = await adminAuth.resolve(request);
          if (admin) return { id: admin.kind === 'agent' ? admin.agentId : 'admin-token', admin: true, queues: [] };
          const agent = await services.agentOf?.(request);
          return agent ? { id: agent.id, admin: false, queues: agent.queues } : undefined;
        },
      }),
    },
  };
};
