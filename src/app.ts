import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { botFrameworkPart } from '../adapters/botframework/index.ts';
import { slackPart } from '../adapters/slack/index.ts';
import { webPart } from '../adapters/web/index.ts';
import { whatsappCloudPart } from '../adapters/whatsapp-cloud/index.ts';
import { whatsappWebPart, type WhatsAppWebOverrides } from '../adapters/whatsapp-web/index.ts';
import { answersWithOpeningHours, hitsWithOpeningHours, withOpeningHours } from './hours/hours-placeholder.ts';
import { describedHours } from './hours/hours-when-unset.ts';
import { OpeningHours } from './hours/opening-hours.ts';
import { personVars, type PersonReach } from './hours/person-available.ts';
import { withTurnVars } from './hours/turn-vars.ts';
import type { ConversationState } from './engine/types.ts';
import { createAppHandoff } from './app-handoff.ts';
import { AppParts } from './app-parts.ts';
import { createCustomerSystem } from './customers/index.ts';
import { requestSecret, SESSION_COOKIE } from '../adapters/agent-console/sessions.ts';
import type { Config } from './config.ts';
import type { PartRuntime } from './core/part.ts';
import type { KnowledgePort } from './core/knowledge-port.ts';
import { demoOrderEndpoint, registerDemoOrderRoutes } from './demo/demo-orders.ts';
import type { FlowRegistry } from './engine/flow-registry.ts';
import type { CallEndpoint } from './integrations/call-endpoints.ts';
import { createEffectRunner } from './integrations/effect-runner.ts';
import { createHttpCaller } from './integrations/http-call.ts';
import { RecordedResponses } from './integrations/recorded-responses.ts';
import { BUILT_IN_INTENTS } from './built-in-intents.ts';
import { composeTurnHooks } from './inbox/compose-hooks.ts';
import { createAnalytics, runTurnTraced } from './analytics/index.ts';
import { registerReportRoutes } from './server/report-routes.ts';
import { registerStudioPage } from './server/studio-page.ts';
import { createPrivacySystem, removeQueueJobs } from './privacy/index.ts';
import { RedisConversationLock } from './inbox/conversation-lock.ts';
import type { KnowledgeBase } from './kb/index.ts';
import { Inbox } from './inbox/inbox.ts';
import { createModelChooser, mayAskModel } from './understanding/model-choice.ts';
import { Understander, understandOptions } from './understanding/understander.ts';
import { encoderOption } from './understanding/meaning/sentence-encoder.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { connectRedis, type RedisHandle } from './infra/redis.ts';
import { Outbox } from './outbox/outbox.ts';
import { AdminAuth } from './server/admin-auth.ts';
import { registerAdminRoutes } from './server/admin-routes.ts';
import { buildHttpServer, type HealthReport } from './server/http-server.ts';
import { serveDataDir, type DataDirServer } from './store/data-dir-server.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/types.ts';
import { registerStudio, ReleaseServer } from './studio/index.ts';

const publicDir = fileURLToPath(new URL('../adapters/web/public/', import.meta.url));

export interface App {
  config: Config;
  logger: Logger;
  http: FastifyInstance;
  store: Store;
  inbox: Inbox;
  outbox: Outbox;
  redis: RedisHandle;
  /** The flows of the release being served (src/studio/release-server.ts). */
  flows: FlowRegistry;
  /** The releases of flows and knowledge, the one served, and publishing the files on disk. */
  releases: ReleaseServer;
  /** Who may use the operator pages and endpoints (/admin/…). */
  adminAuth: AdminAuth;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Loads the sentence encoder and encodes the flows' and articles' texts ahead of the first messages (`parley start`). */
  prepareUnderstanding(): Promise<void>;
  /** Graceful stop: no new turns, turns under way finish, deliveries under way finish, connections close. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  /** The knowledge base `answer` steps ask; absent: the one in KNOWLEDGE_DIR. */
  knowledge?: KnowledgePort;
  /** WhatsApp Web: the client factory (tests: a stand-in for whatsapp-web.js's Client) and the connector's timings. */
  whatsappWeb?: WhatsAppWebOverrides;
}

/** The composition root: every part is built here, from the configuration, and handed to the parts that use it. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, redact: config.logRedact });
  const redis = await connectRedis({ url: config.redisUrl, autostart: config.redisAutostart, dataDir: config.dataDir, logger });
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    await redis.close();
    throw error;
  }

  // The current release of flows and knowledge, from the database (the files on disk are release 1 on a first start).
  let serving: ReleaseServer;
  try {
    serving = await ReleaseServer.open({
      db: store.db, redis: { publisher: redis.client, subscriber: redis.duplicate(), prefix: config.handoff.queuePrefix },
      dataDir: config.dataDir, disk: { flows: config.flowsDir, knowledge: config.knowledgeDir },
      watch: { flows: config.flowsWatch, knowledge: config.kbWatch }, logger, graceMs: config.flowsGraceMs,
      ...(options.knowledge ? {} : { knowledge: { dataDir: config.dataDir, minConfidence: config.minConfidence, db: store.db, logger, ...(config.openai ? { openai: config.openai } : {}) } }),
    });
  } catch (error) {
    await store.close();
    await redis.close();
    throw error;
  }
  const flows = serving.flows;
  const kb: KnowledgeBase | undefined = serving.knowledge;
  // {{opening_hours}} in flows' texts and the knowledge base's answers reads OPENING_HOURS, else the demo's week (src/hours).
  const hoursToDescribe = describedHours(config.handoff.openingHours);
  const knowledgeBase = options.knowledge ?? kb;
  const baseKnowledge = knowledgeBase ? answersWithOpeningHours(hoursToDescribe, knowledgeBase) : knowledgeBase;

  // The channels (src/core/part.ts, docs/channels.md): adding one is a folder under adapters/ and a line here. Their
  // senders are listed at /healthz in this order; their desks take handoffs in it.
  const parts = new AppParts([webPart, botFrameworkPart, slackPart, whatsappCloudPart, whatsappWebPart(options.whatsappWeb)], { config, logger, store, redis });
  const { channels } = parts;
  // Per-turn analytics, the rating, /metrics (src/analytics); the handoff queue is read at each scrape. The outbox
  // gets the parts' channels counting their failed sends.
  const analytics = createAnalytics({
    db: store.db, logger,
    handoffJobs: async () => (await handoff?.system.queue.bull())?.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
    // Called only during turns, after `handoff` below is built.
    resumeAfterRating: async (conversation, handoffId) => handoff?.system.service.resumeAfterRating(conversation, handoffId),
  });
  const outbox = new Outbox({ store, channels: analytics.instrument(channels), logger, redis: redis.client, maxAttempts: config.outboxMaxAttempts, claimTtlMs: config.outboxClaimTtlMs });
  // In demo mode `order_lookup` reaches the demo order API on this server, once its address is known (listen).
  let endpoints: Record<string, CallEndpoint> = { ...config.callEndpoints };
  // Each endpoint's latest answer is kept, masked, for the studio's preview (src/integrations/recorded-responses.ts).
  const recorded = new RecordedResponses(store.db, { logger });
  const call = recorded.recording(createHttpCaller({ endpoints: () => endpoints, logger }), (name) => endpoints[name]?.record !== false);
  const lock = new RedisConversationLock(redis.client, { ttlMs: config.turnLockTtlMs });
  const customers = createCustomerSystem({
    config: config.customers, store, logger,
    deliver: (conversationId, address, messages) => void outbox.dispatch(conversationId, address, messages),
    isLive: async (conversation) => (await parts.presence(conversation.channel)?.isLive(conversation.externalId).catch(() => false)) ?? false,
    enabled: (channel) => channels.has(channel),
    redis: redis.client, redisPrefix: config.handoff.queuePrefix,
  });
  // With UNDERSTANDING_MODEL and OpenAI, the chat model may choose among the offline candidates (model-choice.ts).
  const chooser = config.understandingModel && config.openai ? createModelChooser({ openai: config.openai, logger }) : undefined;
  const understander = new Understander({
    minConfidence: config.minConfidence, intents: BUILT_IN_INTENTS, indexDir: path.join(config.dataDir, 'understanding', 'index'), ...(kb ? { knowledge: () => kb.snapshot(), similar: (text: string) => kb.similar?.(text) ?? Promise.resolve(null) } : {}),
    ...(chooser ? { chooser } : {}), ...encoderOption(config.understandingEncoder), vectorsFile: path.join(config.dataDir, 'understanding', 'sentence-vectors.bin'),
  });
  const handoff = createAppHandoff({
    config, redis, store, lock, logger, flows: (state) => flows.forState(state),
    // Messages a handoff starts go through the consent ledger; agents' replies follow the customer's preferred channel.
    dispatch: (conversation, messages) => void customers.dispatchStarted(conversation, messages).catch((error: unknown) =>
      logger.error({ conversationId: conversation.id, err: String(error) }, 'a message the handoff started could not be dispatched')),
    ...(baseKnowledge ? { knowledge: baseKnowledge } : {}),
    // The workspace's suggestions search the knowledge base itself: no answer written, no gap recorded.
    ...(kb ? { search: async (question: string, searchOptions: { locale?: string; limit?: number }) => {
      const found = await kb.search(question, searchOptions);
      return { ...found, hits: hitsWithOpeningHours(found.hits, hoursToDescribe, searchOptions.locale) };
    } } : {}),
    // An agent typing shows where the customer is connected live (the web chat); nothing is stored.
    agentTyping: async (conversation, agent) => parts.presence(conversation.channel)?.agentTyping(conversation.externalId, agent.name),
    askRating: analytics.askAfterHandoff,
    // The workspace suggests only for what the understanding step confidently understood, read as a turn reads it.
    understand: (conversation, text) => understander.understand(flows.forState(conversation.state), text, { ...understandOptions(conversation.state), model: false }),
  });
  handoff?.system.addDesk(analytics.metrics.desk());
  const channelDesks = handoff ? parts.desks(handoff.system.service) : [];
  for (const channelDesk of channelDesks) handoff?.system.addDesk(channelDesk);
  const knowledge = handoff?.knowledge ?? baseKnowledge;
  // Someone can take a handoff: a console agent who works a queue, or a channel's desk (Slack's agent channel, Bot Framework's).
  // Editors alone (AGENTS for Parley Studio) take none: their sign-in stays, and a handoff is not queued to nobody; the
  // inbox tells the customer no person is available and the bot goes on.
  const desk = handoff && (config.handoff.agents.some((agent) => agent.queues.length > 0) || channelDesks.length > 0) ? handoff : undefined;
  // person_available / person_later, for flows to test before they promise a colleague (src/hours/person-available.ts).
  const reach: PersonReach = { desk: desk !== undefined, ...(config.handoff.openingHours ? { hours: new OpeningHours(config.handoff.openingHours) } : {}), queue: config.handoff.defaultQueue, now: () => new Date() };
  if (handoff && !desk) logger.warn('AGENTS has editors only and no desk takes handoffs: a handoff tells the customer that no person is available');
  const privacy = createPrivacySystem({
    config: config.privacy, db: store.db, redis: redis.client, redisUrl: config.redisUrl, queuePrefix: config.handoff.queuePrefix, logger,
    ...(handoff ? { removeJobs: async (ids: string[]) => removeQueueJobs(await handoff.system.queue.bull(), redis.client, ids) } : {}),
    ...(parts.deskCopies.length > 0 ? { handoffCopies: parts.deskCopies } : {}),
  });
  // Earlier hooks take precedence over later ones.
  const hooks = composeTurnHooks([customers.hooks, privacy.hooks, analytics.ratingHooks, desk?.system.hooks, ...parts.hooks, analytics.recorder]);
  const inbox = new Inbox({
    store,
    lock,
    understand: (state, text, { model }) => understander.understand(flows.forState(state), text, { ...understandOptions(state), model: model && mayAskModel(state, text) }),
    runTurn: (state, input) => {
      const run = withTurnVars(() => personVars(reach), (turnState: ConversationState) => runTurnTraced(flows.forState(turnState), turnState, input));
      return withOpeningHours(hoursToDescribe, run)(state);
    },
    dispatch: (conversation, replies) => {
      // The customer just wrote: replies that waited for them (WhatsApp's 24-hour window) go first.
      void outbox.resumeWaiting(conversation.id, conversation.address);
      void outbox.dispatch(conversation.id, conversation.address, replies);
    },
    logger,
    effects: createEffectRunner({ call, logger, ...(knowledge ? { knowledge } : {}) }),
    ...(hooks ? { hooks } : {}),
    ...(desk ? { onHandoff: desk.system.onHandoff } : {}),
  });

  const health = async (): Promise<HealthReport> => {
    const checks: Record<string, string> = {};
    await Promise.all([
      store.ping().then(
        () => (checks.database = 'ok'),
        (error: unknown) => (checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`),
      ),
      redis.client.ping().then(
        () => (checks.redis = 'ok'),
        (error: unknown) => (checks.redis = `unreachable: ${error instanceof Error ? error.message : String(error)}`),
      ),
    ]);
    const ok = Object.values(checks).every((value) => value === 'ok');
    return { status: ok ? 'ok' : 'degraded', checks, channels: [...channels.keys()] };
  };

  const adminAuth = new AdminAuth({ token: config.adminToken, ...(handoff ? { sessions: handoff.sessions } : {}) });
  const http = await buildHttpServer({
    logger, health, publicDir, trustProxy: config.trustProxy, requestTimeoutMs: config.requestTimeoutMs,
    // The parts' public paths (the web chat's) are embedded on other origins; every other request carrying the agent
    // cookie must be same-origin.
    sameOrigin: { cookie: SESSION_COOKIE, publicPrefixes: parts.publicPrefixes },
  });
  const runtime: PartRuntime = {
    inbox, adminAuth,
    ...(handoff ? { handoff: { service: handoff.system.service, customerTyping: (channel: string, id: string) => handoff.customerTyping(channel, id) } } : {}),
  };
  await parts.register(http, runtime);
  await registerAdminRoutes(http, { token: config.adminToken, flows: { reload: () => serving.publishFromDisk() } });
  await handoff?.register(http);
  const studio = await registerStudio(http, { serving, db: store.db, sessions: handoff?.sessions, config, recorded, logger });
  await registerStudioPage(http, handoff ? { sessions: handoff.sessions, onOpen: () => studio.warm() } : {});
  await privacy.register(http, adminAuth);
  await registerReportRoutes(http, { db: store.db, adminAuth, metrics: analytics.metrics, metricsToken: config.report.metricsToken, knowledgeDir: config.knowledgeDir });
  await customers.register(http, {
    actorOf: async (request) => {
      const admin = await adminAuth.resolve(request);
      if (admin) return { id: admin.kind === 'agent' ? admin.agentId : 'admin-token', admin: true, queues: [] };
      const agent = await handoff?.sessions.resolve(requestSecret(request.headers));
      return agent ? { id: agent.id, admin: false, queues: agent.queues } : undefined;
    },
  });
  if (config.demoOrders) await registerDemoOrderRoutes(http);
  await serving.start();

  let closed = false;
  let dataDirServer: DataDirServer | undefined;
  const preparing = new AbortController();
  return {
    config,
    logger,
    http,
    store,
    inbox,
    outbox,
    redis,
    flows,
    releases: serving,
    adminAuth,
    prepareUnderstanding: () => understander.prepare(flows.current, preparing.signal),
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      // With the embedded database, command-line tools reach it through this process (src/store/data-dir-socket.ts).
      if (!config.databaseUrl) dataDirServer = await serveDataDir({ dataDir: config.dataDir, db: store.db, logger });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      if (config.demoOrders && !endpoints.order_lookup) {
        const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
        endpoints = { ...endpoints, order_lookup: demoOrderEndpoint(`http://${host}:${port}`) };
      }
      const recovered = await inbox.recover();
      if (recovered > 0) logger.info({ conversations: recovered }, 'finished turns left by an earlier process');
      await outbox.sweep(0);
      outbox.startSweeper();
      await parts.start(runtime);
      handoff?.start();
      await privacy.start();
      return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      preparing.abort();
      await http.close();
      await parts.stop();
      await inbox.close();
      await outbox.stop();
      await handoff?.close();
      await privacy.close();
      await studio.close();
      await recorded.settled();
      await serving.close();
      await dataDirServer?.close();
      await store.close();
      await redis.close();
    },
  };
}

export { publicDir };
export const projectRoot = path.resolve(publicDir, '../../..');
