/**
 * The customer's choice (issue 7): one customer across channels, the preferred channel, the consent ledger, and
 * the API the business's systems notify through. See docs/customers.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Address } from '../core/message.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation, Store, StoredMessage } from '../store/types.ts';
import { registerAgentLinkRoutes, type LinkActor } from './agent-link-routes.ts';
import type { ConsentLedger } from './consent-ledger.ts';
import { registerCustomerApi } from './customer-api.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { createCustomerHooks } from './customer-hooks.ts';
import type { CustomersConfig } from './customers-config.ts';
import { LinkAddressLimits } from './link-address-limits.ts';
import type { MergeCustomers } from './merge-customers.ts';
import { OutboundRouter } from './outbound-router.ts';
import { customersRepository } from './repository.ts';
import type { CustomerRows } from '../store/customer-rows.ts';

export { CUSTOMERS_ENV, customersConfig, type CustomersConfig } from './customers-config.ts';
export { ConsentLedger } from './consent-ledger.ts';
export { CustomerDirectory } from './customer-directory.ts';
export { normalizePhone } from '../core/phone-identity.ts';

export interface CustomerSystemOptions {
  config: CustomersConfig;
  /** Every module's tables that name a customer (src/customer-data.ts): a merge moves their rows. */
  customerData: readonly CustomerRows[];
  store: Store;
  deliver: (conversationId: string, address: Address, messages: StoredMessage[]) => void;
  isLive: (conversation: Conversation) => Promise<boolean>;
  enabled: (channel: string) => boolean;
  /** Parley's Redis and the prefix of its keys there (HANDOFF_QUEUE_PREFIX): linking is counted per client address. */
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /** The handoff module's records, when handoff is on (the customers part reads them through `services.handoff`). */
  handoffs: () => HandoffRecords | undefined;
}

/** What the customers module asks of the handoff module, which owns handoffs and the agents' replies. */
export interface HandoffRecords {
  /** Which of these messages are agents' replies. */
  agentReplies(messageIds: readonly string[]): Promise<Set<string>>;
  /** Whether the customer has a handoff in one of these queues. */
  hasHandoffIn(customerId: string, queues: readonly string[]): Promise<boolean>;
}

export interface CustomerSystem {
  hooks: TurnHooks;
  ledger: ConsentLedger;
  directory: CustomerDirectory;
  router: OutboundRouter;
  /** For the handoff: its messages go through the ledger, and agents' replies to the preferred channel. */
  dispatchStarted(conversation: Conversation, messages: StoredMessage[]): Promise<void>;
  register(http: FastifyInstance, agents: { actorOf: (request: import('fastify').FastifyRequest) => Promise<LinkActor | undefined> }): Promise<void>;
}

export function createCustomerSystem(options: CustomerSystemOptions): CustomerSystem {
  const { store, logger, config } = options;
  const repository = store.repository(customersRepository);
  const { directory, ledger, codes } = repository;
  const router = new OutboundRouter({
    store, directory, ledger, deliver: options.deliver, isLive: options.isLive, enabled: options.enabled, logger,
    fail: (messageId, reason) => store.markAttemptFailed(messageId, reason, true),
  });
  const merge: MergeCustomers = (a, b, link) => repository.merge(options.customerData, a, b, link);
  const addressLimits = new LinkAddressLimits(options.redis, config.links, options.redisPrefix);
  const hooks = createCustomerHooks({
    repository, merge, directory, conversations: store, ledger, codes, router, enabled: options.enabled, defaultCountry: config.defaultCountry, addressLimits, limits: config.links, logger,
  });
  return {
    hooks,
    ledger,
    directory,
    router,
    async dispatchStarted(conversation, messages) {
      // Agents' replies (the handoff records them) follow the customer; its notices stay in their conversation.
      const agentReplies = await options.handoffs()?.agentReplies(messages.map((m) => m.id));
      await router.dispatchStarted(conversation, messages, agentReplies ?? new Set());
    },
    async register(http, agents) {
      await registerCustomerApi(http, { repository, merge, config, directory, conversations: store, ledger, router, codes });
      await registerAgentLinkRoutes(http, {
        repository, merge, directory, actorOf: agents.actorOf, defaultCountry: config.defaultCountry,
        hasHandoffIn: async (customerId, queues) => (await options.handoffs()?.hasHandoffIn(customerId, queues)) ?? false,
      });
    },
  };
}
