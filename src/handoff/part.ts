import type { PartFactory } from '../core/part.ts';
import { createHandoffSystem } from './index.ts';
import { KnowledgeTap } from './knowledge-tap.ts';
import { ModelSummaryWriter } from './model-summary.ts';

/**
 * Handoff to people (docs/handoff.md): the triggers (turn hooks), the BullMQ queue and its worker, the monitor, the
 * service the desks call. On when AGENTS or SLACK_AGENT_CHANNEL is set; the desks come from the other parts (the agent
 * workspace, Slack, Bot Framework). Without a desk that takes handoffs its hooks stay out: a handoff then leaves the
 * conversation with the bot, as the inbox documents.
 */
export const handoffPart: PartFactory = ({ config, logger, redis, store, lock, flows, knowledge, services }) => {
  const settings = config.handoff;
  if (settings.agents.length === 0 && !settings.slack?.agentChannel) return undefined;
  const tap = knowledge ? new KnowledgeTap(knowledge) : undefined;
  // With OpenAI configured, the chat model writes the handoff's summary (masked transcript, with a deadline).
  const summaryWriter = config.openai
    ? new ModelSummaryWriter({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, chatModel: config.openai.chatModel, timeoutMs: settings.summaryTimeoutMs })
    : undefined;
  const system = createHandoffSystem({
    config: settings, redisUrl: config.redisUrl, store, lock, logger, flows: (state) => flows.forState(state),
    ...(tap ? { tap } : {}), ...(summaryWriter ? { summaryWriter } : {}),
    // Messages a handoff starts go through the consent ledger; agents' replies follow the customer's preferred channel.
    dispatch: (conversation, messages) => {
      const dispatched = services.dispatchStarted
        ? services.dispatchStarted(conversation, messages)
        : Promise.resolve(services.deliver?.(conversation.id, conversation.address, messages));
      void dispatched.catch((error: unknown) =>
        logger.error({ conversationId: conversation.id, err: String(error) }, 'a message the handoff started could not be dispatched'));
    },
    askRating: async (conversation, handoff) => (await services.askRating?.(conversation, handoff)) ?? false,
    customerOf: async (customerId) => (await services.customerSummary?.(customerId)) ?? null,
  });
  return {
    name: 'handoff',
    provides: { handoff: system, ...(tap ? { knowledge: tap } : {}) },
    get hooks() {
      return system.staffed ? system.hooks : undefined;
    },
    start: () => system.start(),
    close: () => system.close(),
  };
};
