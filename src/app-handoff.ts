/**
 * Part of the composition root (src/app.ts): the handoff system and the web console desk at /agent (the Slack desk,
 * which shares its Bolt app with the Slack customer channel, is added in src/app.ts). Absent when no desk is
 * configured: then a handoff leaves the conversation with the bot, as the inbox documents.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { AgentSessions, ConsoleDesk, registerAgentConsole, SignInThrottle } from '../adapters/agent-console/index.ts';
import type { Config } from './config.ts';
import type { KnowledgePort } from './core/knowledge-port.ts';
import type { FlowSet } from './engine/model.ts';
import type { ConversationState } from './engine/types.ts';
import { createHandoffSystem, KnowledgeTap, ModelSummaryWriter, type Handoff, type HandoffSystem } from './handoff/index.ts';
import type { ConversationLock } from './inbox/conversation-lock.ts';
import type { Logger } from './infra/logger.ts';
import type { RedisHandle } from './infra/redis.ts';
import type { Conversation, Store, StoredMessage } from './store/types.ts';
import type { QuestionReader } from './agent-workspace/latest-question.ts';
import { createWorkspace, type AgentTyping, type PassageSearch } from './app-workspace.ts';

export interface AppHandoffOptions {
  config: Config;
  redis: RedisHandle;
  store: Store;
  lock: ConversationLock;
  dispatch: (conversation: Conversation, messages: StoredMessage[]) => void;
  flows: (state: ConversationState) => FlowSet;
  logger: Logger;
  knowledge?: KnowledgePort;
  /** Whether a resolve asks for the rating (src/analytics: once per conversation). */
  askRating: (conversation: Conversation, handoff: Handoff) => Promise<boolean>;
  /** The knowledge base's search, for the workspace's suggestions; absent, `knowledge` answers are used. */
  search?: PassageSearch;
  /** Shows the customer that an agent is typing (the web chat's live connection). */
  agentTyping?: AgentTyping;
  /** The understanding step, for the workspace's suggestions: only what it confidently understood gets any. */
  understand?: QuestionReader;
}

export interface AppHandoff {
  system: HandoffSystem;
  /** The console's sign-in sessions (also how admins are recognised, src/server/admin-auth.ts). */
  sessions: AgentSessions;
  /** The knowledge base as the effects should ask it (recorded for the handoff context). */
  knowledge: KnowledgePort | undefined;
  register(http: FastifyInstance): Promise<void>;
  /** The customer of this conversation is typing: its agents see it (nothing is stored). */
  customerTyping(channel: string, conversationExternalId: string): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

export function createAppHandoff(options: AppHandoffOptions): AppHandoff | undefined {
  const { config, redis, logger } = options;
  const settings = config.handoff;
  if (settings.agents.length === 0 && !settings.slack?.agentChannel) return undefined;
  const tap = options.knowledge ? new KnowledgeTap(options.knowledge) : undefined;
  // With OpenAI configured, the chat model writes the handoff's summary (masked transcript, with a deadline).
  const summaryWriter = config.openai
    ? new ModelSummaryWriter({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, chatModel: config.openai.chatModel, timeoutMs: settings.summaryTimeoutMs })
    : undefined;
  const system = createHandoffSystem({
    config: settings, redisUrl: config.redisUrl, redis: redis.client, store: options.store, lock: options.lock,
    dispatch: options.dispatch, flows: options.flows, logger, ...(tap ? { tap } : {}),
    ...(summaryWriter ? { summaryWriter } : {}), askRating: options.askRating,
  });
  const console = new ConsoleDesk(redis.client, redis.duplicate(), `${settings.queuePrefix}:console-events`);
  system.addDesk(console);
  const workspace = createWorkspace({
    service: system.service, settings, redis: redis.client, desk: console, logger, minConfidence: config.minConfidence,
    ...(options.search ? { search: options.search } : {}), ...(tap ? { knowledge: tap } : {}), ...(options.agentTyping ? { agentTyping: options.agentTyping } : {}),
    ...(options.understand ? { understand: options.understand } : {}),
  });
  for (const desk of workspace.desks) system.addDesk(desk);
  const throttle = new SignInThrottle(redis.client, settings.queuePrefix);
  const sessions = new AgentSessions(redis.client, settings.queuePrefix, settings.sessionTtlMs, settings.agents, throttle);
  return {
    system,
    sessions,
    knowledge: tap,
    async register(http) {
      await registerAgentConsole(http, { service: system.service, sessions, throttle, desk: console, logger, workspace: workspace.parts });
    },
    async customerTyping(channel, conversationExternalId) {
      const conversation = await options.store.findConversation(channel, conversationExternalId);
      const handoff = conversation?.mode === 'human' ? await system.service.handoffs.openFor(conversation.id) : null;
      if (handoff) await console.broadcast({ type: 'typing', handoffId: handoff.id, queue: handoff.queue, who: 'customer' });
    },
    start: () => system.start(),
    close: () => system.close(),
  };
}
