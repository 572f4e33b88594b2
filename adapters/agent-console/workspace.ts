/**
 * The agent workspace's parts (src/agent-workspace) for the console's routes, and the desks it adds: automatic
 * assignment and the suggestions that follow each customer message.
 */
import type { CustomerRecordLookup } from '../../src/agent-workspace/sidebar.ts';
import type { Redis } from 'ioredis';
import { AutoAssigner } from '../../src/agent-workspace/auto-assign.ts';
import { suggestFor, type PassageFinder, type QuestionReader, type SuggestionSource } from '../../src/agent-workspace/latest-question.ts';
import { workspaceRepository } from '../../src/agent-workspace/repository.ts';
import { ViewerRegistry } from '../../src/agent-workspace/viewers.ts';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import type { PassageSearch } from '../../src/core/part.ts';
import type { AgentDesk, AgentIdentity } from '../../src/handoff/desk.ts';
import type { HandoffConfig } from '../../src/handoff/handoff-config.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import type { Conversation } from '../../src/store/types.ts';
import type { ConsoleDesk } from './console-events.ts';
import type { WorkspaceParts } from './routes.ts';

/** Shows the customer of this conversation that the agent is typing. */
export type AgentTyping = (conversation: Conversation, agent: AgentIdentity) => Promise<void>;

export interface WorkspaceOptions {
  service: HandoffService;
  settings: HandoffConfig;
  redis: Redis;
  desk: ConsoleDesk;
  logger: Logger;
  minConfidence: number;
  search?: PassageSearch;
  /** Used for suggestions when there is no `search` (a knowledge base given to createApp). */
  knowledge?: KnowledgePort;
  /** The understanding step: suggestions only for what it confidently understood. */
  understand?: QuestionReader;
  agentTyping?: AgentTyping;
  /** The customer's profile and consent for the sidebar (the customers module's `customerRecord`). */
  customerRecord: CustomerRecordLookup;
}

export function createWorkspace(options: WorkspaceOptions): { parts: WorkspaceParts; desks: AgentDesk[] } {
  const { service, settings, desk, logger } = options;
  const repository = service.store.repository(workspaceRepository);
  const assigner = Object.keys(settings.autoAssign).length > 0
    ? new AutoAssigner({ repository, service, agents: settings.agents, rules: settings.autoAssign, logger })
    : undefined;
  const find = finder(options);
  const suggestions: SuggestionSource | undefined = find
    ? { store: service.store, handoffs: service.handoffs, find, minConfidence: options.minConfidence, ...(options.understand ? { understand: options.understand } : {}) }
    : undefined;
  const queues = [...new Set([settings.defaultQueue, ...settings.routes.map((route) => route.queue), ...settings.agents.flatMap((agent) => agent.queues)])];
  const { agentTyping } = options;
  const parts: WorkspaceParts = {
    agents: settings.agents, queues, repository, customerRecord: options.customerRecord, notes: repository.notes, availability: repository.availability, canned: repository.canned,
    viewers: new ViewerRegistry(options.redis, settings.queuePrefix),
    ...(assigner ? { assigner } : {}),
    ...(suggestions ? { suggestions } : {}),
    ...(agentTyping ? { agentTyping: async (handoff: Handoff, agent: AgentIdentity) => agentTyping(await service.conversation(handoff), agent) } : {}),
  };
  const desks: AgentDesk[] = assigner ? [assigner.desk] : [];
  if (suggestions) desks.push(suggestionFeed(suggestions, desk, logger));
  return { parts, desks };
}

function finder(options: WorkspaceOptions): PassageFinder | undefined {
  const { search, knowledge } = options;
  if (search) return (question, locale) => search(question, { ...(locale ? { locale } : {}), limit: 8 });
  if (knowledge) return async (question, locale) => {
    const found = await knowledge.answer(question, locale ? { locale } : {});
    return { hits: found.results, confidence: found.confidence };
  };
  return undefined;
}

/**
 * New suggestions on the agents' sockets each time the customer writes. Not awaited by the turn: the knowledge base's
 * search may ask the embedding model.
 */
function suggestionFeed(source: SuggestionSource, desk: ConsoleDesk, logger: Logger): AgentDesk {
  return {
    id: 'console-suggestions',
    announce: async () => {},
    line: async (handoff, line) => {
      if (line.from !== 'customer' || line.payload !== undefined || !line.text.trim()) return;
      void suggestFor(source, handoff)
        .then(({ question, suggestions }) => question
          ? desk.broadcast({ type: 'suggestions', handoffId: handoff.id, queue: handoff.queue, question, suggestions })
          : undefined)
        .catch((error: unknown) => logger.warn({ handoffId: handoff.id, err: error instanceof Error ? error.message : String(error) }, 'suggestions not refreshed'));
    },
  };
}
