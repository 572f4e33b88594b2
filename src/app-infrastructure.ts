/**
 * Part of the composition root (src/app.ts): opens what every part is built on — Redis, the database, the served
 * release of flows and knowledge, the understanding step, the conversation lock, the call step's HTTP client — before
 * the list of parts is built.
 */
import path from 'node:path';
import { BUILT_IN_INTENTS } from './built-in-intents.ts';
import type { Config } from './config.ts';
import type { KnowledgePort } from './core/knowledge-port.ts';
import type { PassageSearch } from './core/part.ts';
import type { EffectRunnerOptions } from './integrations/effect-runner.ts';
import type { FlowRegistry } from './engine/flow-registry.ts';
import { answersWithOpeningHours, hitsWithOpeningHours } from './hours/hours-placeholder.ts';
import { describedHours } from './hours/hours-when-unset.ts';
import { RedisConversationLock } from './inbox/conversation-lock.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { connectRedis, type RedisHandle } from './infra/redis.ts';
import type { CallEndpoint } from './integrations/call-endpoints.ts';
import { createHttpCaller } from './integrations/http-call.ts';
import { RecordedResponses } from './integrations/recorded-responses.ts';
import { openStore } from './store/open-store.ts';
import { studioRepository } from './studio/repository.ts';
import { gapRepository } from './kb/gap-store.ts';
import type { SqlStore } from './store/sql-store.ts';
import { ReleaseServer } from './studio/index.ts';
import { createModelChooser } from './understanding/model-choice.ts';
import { encoderOption, keptVectorsFile } from './understanding/meaning/sentence-encoder.ts';
import { Understander } from './understanding/understander.ts';

export interface InfrastructureOptions {
  logger?: Logger;
  /** The knowledge base `answer` steps ask; absent: the one in KNOWLEDGE_DIR. */
  knowledge?: KnowledgePort;
}

export interface Infrastructure {
  logger: Logger;
  redis: RedisHandle;
  /** The store as the app holds it; parts get it as a `Store`, without its database. */
  store: SqlStore;
  /** The releases of flows and knowledge, and the one served. */
  releases: ReleaseServer;
  flows: FlowRegistry;
  /** {{opening_hours}} as flows' texts and the knowledge base's answers read it: OPENING_HOURS, else the demo's week. */
  hoursToDescribe: ReturnType<typeof describedHours>;
  /** The knowledge base `answer` steps ask, {{opening_hours}} filled in; absent without one. */
  baseKnowledge: KnowledgePort | undefined;
  /** The knowledge base's own search, for the workspace's suggestions: no answer written, no gap recorded. */
  search: PassageSearch | undefined;
  understander: Understander;
  lock: RedisConversationLock;
  /** Each call endpoint's latest answer, masked, for the studio's preview (src/integrations/recorded-responses.ts). */
  recorded: RecordedResponses;
  /** The `call` step's HTTP client, recording each endpoint's answers. */
  call: EffectRunnerOptions['call'];
  /** The endpoints `call` reaches; in demo mode `order_lookup` is added once the server's address is known (listen). */
  endpoints: Record<string, CallEndpoint>;
}

export async function openInfrastructure(config: Config, options: InfrastructureOptions): Promise<Infrastructure> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, redact: config.logRedact });
  const redis = await connectRedis({ url: config.redisUrl, autostart: config.redisAutostart, dataDir: config.dataDir, logger });
  let store: SqlStore;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    await redis.close();
    throw error;
  }

  // The current release of flows and knowledge, from the database (the files on disk are release 1 on a first start).
  let releases: ReleaseServer;
  try {
    releases = await ReleaseServer.open({
      repository: store.repository(studioRepository), inFlight: () => store.flowVersionsInFlight(), redis: { publisher: redis.client, subscriber: redis.duplicate(), prefix: config.handoff.queuePrefix },
      dataDir: config.dataDir, disk: { flows: config.flowsDir, knowledge: config.knowledgeDir },
      watch: { flows: config.flowsWatch, knowledge: config.kbWatch }, logger, graceMs: config.flowsGraceMs, pollMs: config.releasesPollMs,
      ...(options.knowledge ? {} : { knowledge: { dataDir: config.dataDir, minConfidence: config.minConfidence, gaps: store.repository(gapRepository), logger, ...(config.openai ? { openai: config.openai } : {}) } }),
    });
  } catch (error) {
    await store.close();
    await redis.close();
    throw error;
  }
  const kb = releases.knowledge;
  const hoursToDescribe = describedHours(config.handoff.openingHours);
  const knowledgeBase = options.knowledge ?? kb;
  const search: PassageSearch | undefined = kb ? async (question, searchOptions) => {
    const found = await kb.search(question, searchOptions);
    return { ...found, hits: hitsWithOpeningHours(found.hits, hoursToDescribe, searchOptions.locale) };
  } : undefined;
  // With UNDERSTANDING_MODEL and OpenAI, the chat model may choose among the offline candidates (model-choice.ts).
  const chooser = config.understandingModel && config.openai ? createModelChooser({ openai: config.openai, logger }) : undefined;
  const understander = new Understander({
    minConfidence: config.minConfidence, intents: BUILT_IN_INTENTS, indexDir: path.join(config.dataDir, 'understanding', 'index'), ...(kb ? { knowledge: () => kb.snapshot(), similar: (text: string) => kb.similar?.(text) ?? Promise.resolve(null) } : {}),
    ...(chooser ? { chooser } : {}), ...encoderOption(config.understandingEncoder), vectorsFile: keptVectorsFile(config.dataDir),
  });
  const recorded = store.repository((db) => new RecordedResponses(db, { logger }));
  const infrastructure: Infrastructure = {
    logger, redis, store, releases, flows: releases.flows, hoursToDescribe, search, understander, recorded,
    baseKnowledge: knowledgeBase ? answersWithOpeningHours(hoursToDescribe, knowledgeBase) : knowledgeBase,
    lock: new RedisConversationLock(redis.client, { ttlMs: config.turnLockTtlMs }),
    call: recorded.recording(createHttpCaller({ endpoints: () => infrastructure.endpoints, logger }), (name) => infrastructure.endpoints[name]?.record !== false),
    endpoints: { ...config.callEndpoints },
  };
  return infrastructure;
}
