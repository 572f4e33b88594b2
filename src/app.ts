import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { agentWorkspacePart } from '../adapters/agent-console/part.ts';
import { SESSION_COOKIE } from './server/auth/agent-sessions.ts';
import { slackPart } from '../adapters/slack/index.ts';
import { webPart, type WebOverrides } from '../adapters/web/index.ts';
import { whatsappCloudPart } from '../adapters/whatsapp-cloud/index.ts';
import { whatsappWebPart, type WhatsAppWebOverrides } from '../adapters/whatsapp-web/index.ts';
import { analyticsPart, ratingsPart, runTurnTraced } from './analytics/index.ts';
import { openInfrastructure } from './app-infrastructure.ts';
import { AppParts } from './app-parts.ts';
import type { Config } from './config.ts';
import type { KnowledgePort } from './core/knowledge-port.ts';
import type { PartFactory, PartRuntime } from './core/part.ts';
import { CUSTOMER_DATA } from './customer-data.ts';
import { customersPart } from './customers/part.ts';
import { demoOrderEndpoint, registerDemoOrderRoutes } from './demo/demo-orders.ts';
import type { FlowRegistry } from './engine/flow-registry.ts';
import type { ConversationState } from './engine/types.ts';
import { handoffPart } from './handoff/part.ts';
import { withOpeningHours } from './hours/hours-placeholder.ts';
import { OpeningHours } from './hours/opening-hours.ts';
import { personVars, type PersonReach } from './hours/person-available.ts';
import { withTurnVars } from './hours/turn-vars.ts';
import { composeTurnHooks } from './inbox/compose-hooks.ts';
import { Inbox } from './inbox/inbox.ts';
import type { Logger } from './infra/logger.ts';
import type { RedisHandle } from './infra/redis.ts';
import { createEffectRunner } from './integrations/effect-runner.ts';
import { Outbox } from './outbox/outbox.ts';
import { privacyPart } from './privacy/part.ts';
import { AdminAuth } from './server/auth/admin-auth.ts';
import { buildHttpServer, type HealthReport } from './server/http-server.ts';
import { reportPart } from './server/report-part.ts';
import type { DataDirServer } from './store/data-dir-server.ts';
import type { SqlStore } from './store/sql-store.ts';
import type { ReleaseServer } from './studio/index.ts';
import { studioPart } from './studio/part.ts';
import { mayAskModel } from './understanding/model-choice.ts';
import { understandOptions } from './understanding/understander.ts';

const publicDir = fileURLToPath(new URL('../adapters/web/public/', import.meta.url));

export interface App {
  config: Config;
  logger: Logger;
  http: FastifyInstance;
  /** The app's store; it serves the embedded database's socket (`serveDataDir`). */
  store: SqlStore;
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
  /** The web chat: the clock its rate limits count by (tests: one that stands still). */
  web?: WebOverrides;
}

/** The composition root: opens the infrastructure, then builds the list of parts (src/core/part.ts) and wires them. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const infrastructure = await openInfrastructure(config, options);
  const { logger, redis, store, releases: serving, flows, lock, understander, recorded, hoursToDescribe, baseKnowledge } = infrastructure;

  // Everything that plugs in is a part (src/core/part.ts, docs/parts.md): adding a channel is a folder under adapters/
  // and a line here. Turn hooks compose in this order (earlier ones take precedence: consent before handoff, the
  // rating before the handoff's triggers, the analytics recorder last); /healthz lists the channels in it.
  // The Bot Framework SDK costs seconds of CPU to load: only a server with its settings loads it.
  const botFrameworkPart: PartFactory = config.botframework ? (await import('../adapters/botframework/part.ts')).botFrameworkPart : () => undefined;
  const parts = new AppParts([
    customersPart, privacyPart, ratingsPart, handoffPart, agentWorkspacePart,
    webPart(options.web), botFrameworkPart, slackPart, whatsappCloudPart, whatsappWebPart(options.whatsappWeb),
    analyticsPart, studioPart, reportPart,
  ], {
    config, logger, store, redis, releases: serving, flows, lock, understander, recorded, customerData: CUSTOMER_DATA,
    ...(baseKnowledge ? { knowledge: baseKnowledge } : {}), ...(infrastructure.search ? { search: infrastructure.search } : {}),
  });
  const { channels, services } = parts;
  // The outbox gets the channels counting their failed sends (src/analytics).
  const senders = services.metrics ? new Map([...channels].map(([id, channel]) => [id, services.metrics!.instrument(channel)])) : channels;
  const outbox = new Outbox({ store, channels: senders, logger, redis: redis.client, maxAttempts: config.outboxMaxAttempts, claimTtlMs: config.outboxClaimTtlMs });
  parts.provide({ deliver: (conversationId, address, messages) => void outbox.dispatch(conversationId, address, messages) });
  const handoff = services.handoff;
  if (handoff) parts.wireDesks(handoff);
  const knowledge = services.knowledge ?? baseKnowledge;
  // Someone can take a handoff: a console agent who works a queue, or a channel's desk (Slack's agent channel, Bot Framework's).
  // Editors alone (AGENTS for Parley Studio) take none: their sign-in stays, and a handoff is not queued to nobody; the
  // inbox tells the customer no person is available and the bot goes on.
  const staffed = handoff?.staffed === true;
  // person_available / person_later, for flows to test before they promise a colleague (src/hours/person-available.ts).
  const reach: PersonReach = { desk: staffed, ...(config.handoff.openingHours ? { hours: new OpeningHours(config.handoff.openingHours) } : {}), queue: config.handoff.defaultQueue, now: () => new Date() };
  if (handoff && !staffed) logger.warn('AGENTS has editors only and no desk takes handoffs: a handoff tells the customer that no person is available');
  const hooks = composeTurnHooks(parts.hooks);
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
    effects: createEffectRunner({ call: infrastructure.call, logger, ...(knowledge ? { knowledge } : {}) }),
    ...(hooks ? { hooks } : {}),
    ...(staffed ? { onHandoff: handoff.onHandoff } : {}),
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

  const adminAuth = new AdminAuth({ token: config.adminToken, ...(services.sessions ? { sessions: services.sessions } : {}) });
  const http = await buildHttpServer({
    logger, health, publicDir, trustProxy: config.trustProxy, requestTimeoutMs: config.requestTimeoutMs,
    // The parts' public paths (the web chat's) are embedded on other origins; every other request carrying the agent
    // cookie must be same-origin.
    sameOrigin: { cookie: SESSION_COOKIE, publicPrefixes: parts.publicPrefixes },
  });
  const { customerTyping } = services;
  const runtime: PartRuntime = {
    inbox, adminAuth,
    ...(handoff ? { handoff: { service: handoff.service, customerTyping: async (channel: string, id: string) => customerTyping?.(channel, id) } } : {}),
  };
  await parts.register(http, runtime);
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
      if (!config.databaseUrl) dataDirServer = await store.serveDataDir({ dataDir: config.dataDir, logger });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      if (config.demoOrders && !infrastructure.endpoints.order_lookup) {
        const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
        infrastructure.endpoints = { ...infrastructure.endpoints, order_lookup: demoOrderEndpoint(`http://${host}:${port}`) };
      }
      const recovered = await inbox.recover();
      if (recovered > 0) logger.info({ conversations: recovered }, 'finished turns left by an earlier process');
      await outbox.sweep(0);
      outbox.startSweeper();
      await parts.start(runtime);
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
      await parts.close();
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
