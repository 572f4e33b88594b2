/**
 * Part of the composition root (src/app.ts): the handoff system and its agent desks (the web console at /agent,
 * the Slack desk when configured). Absent when no desk is configured: then a handoff leaves the conversation with
 * the bot, as the inbox documents.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { AgentSessions, ConsoleDesk, registerAgentConsole } from '../adapters/agent-console/index.ts';
import { registerSlackDesk } from '../adapters/slack/index.ts';
import type { Config } from './config.ts';
import type { KnowledgePort } from './core/knowledge-port.ts';
import type { FlowSet } from './engine/model.ts';
import type { ConversationState } from './engine/types.ts';
import { createHandoffSystem, KnowledgeTap, ModelSummaryWriter, type HandoffSystem } from './handoff/index.ts';
import type { ConversationLock } from './inbox/conversation-lock.ts';
import type { Logger } from './infra/logger.ts';
import type { RedisHandle } from './infra/redis.ts';
import type { Conversation, Store, StoredMessage } from './store/types.ts';

export interface AppHandoffOptions {
  config: Config;
  redis: RedisHandle;
  store: Store;
  lock: ConversationLock;
  dispatch: (conversation: Conversation, messages: StoredMessage[]) => void;
  flows: (state: ConversationState) => FlowSet;
  logger: Logger;
  knowledge?: KnowledgePort;
}

export interface AppHandoff {
  system: HandoffSystem;
  /** The console's sign-in sessions (also how admins are recognised, src/server/admin-auth.ts). */
  sessions: AgentSessions;
  /** The knowledge base as the effects should ask it (recorded for the handoff context). */
  knowledge: KnowledgePort | undefined;
  register(http: FastifyInstance): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

export function createAppHandoff(options: AppHandoffOptions): AppHandoff | undefined {
  const { config, redis, logger } = options;
  const settings = config.handoff;
  if (settings.agents.length === 0 && !settings.slack) return undefined;
  const tap = options.knowledge ? new KnowledgeTap(options.knowledge) : undefined;
  // With OpenAI configured, the chat model writes the handoff's summary (masked transcript, with a deadline).
  const summaryWriter = config.openai
    ? new ModelSummaryWriter({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, chatModel: config.openai.chatModel, timeoutMs: settings.summaryTimeoutMs })
    : undefined;
  const system = createHandoffSystem({
    config: settings, redisUrl: config.redisUrl, redis: redis.client, store: options.store, lock: options.lock,
    dispatch: options.dispatch, flows: options.flows, logger, ...(tap ? { tap } : {}),
    ...(summaryWriter ? { summaryWriter } : {}),
  });
  const console = new ConsoleDesk(redis.client, redis.duplicate(), `${settings.queuePrefix}:console-events`);
  system.addDesk(console);
  const sessions = new AgentSessions(redis.client, settings.queuePrefix, settings.sessionTtlMs, settings.agents);
  return {
    system,
    sessions,
    knowledge: tap,
    async register(http) {
      await registerAgentConsole(http, { service: system.service, sessions, desk: console, logger, ...(tap ? { knowledge: tap } : {}) });
      if (settings.slack) system.addDesk(await registerSlackDesk(http, { ...settings.slack, service: system.service, redis: redis.client, prefix: settings.queuePrefix, logger }));
    },
    start: () => system.start(),
    close: () => system.close(),
  };
}
