import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MIN_CONFIDENCE } from './kb/confidence.ts';
import { BOTFRAMEWORK_ENV, botFrameworkConfig, type BotFrameworkConfig } from '../adapters/botframework/config.ts';
import { WHATSAPP_ENV, whatsappConfig, type WhatsAppConfig } from '../adapters/whatsapp-cloud/config.ts';
import { WHATSAPP_WEB_ENV, whatsappWebConfig, type WhatsAppWebConfig } from '../adapters/whatsapp-web/config.ts';
import { CUSTOMERS_ENV, customersConfig, type CustomersConfig } from './customers/customers-config.ts';
import { DEFAULT_SEND_TIMEOUT_MS } from './core/channel.ts';
import { ParleyError } from './core/errors.ts';
import { demoAgent } from './demo/demo-agent.ts';
import { demoModeOf } from './demo/demo-mode.ts';
import { SLACK_ENV, slackConfig, type SlackConfig } from '../adapters/slack/config.ts';
import { WEB_ENV, webConfig, type WebConfig } from '../adapters/web/config.ts';
import { booleanSetting } from './infra/boolean-setting.ts';
import { HANDOFF_ENV, handoffConfig, type HandoffConfig } from './handoff/handoff-config.ts';
import { checkRoutesServed } from './handoff/handoff-routes.ts';
import { REPORT_ENV, reportConfig, type ReportConfig } from './analytics/report-config.ts';
import { PRIVACY_ENV, privacyConfig, type PrivacyConfig } from './privacy/privacy-config.ts';
import { loadCallEndpoints, type CallEndpoint } from './integrations/call-endpoints.ts';

const booleanFlag = booleanSetting;

/**
 * Every setting Parley reads, parsed once at start. Below the composition root nothing reads `process.env`.
 * Each default is the one documented in `.env.example` and the README's configuration table.
 */
const EnvSchema = z.object({
  /** HTTP port of the server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the server listens on. Unset: 127.0.0.1 in demo mode, else 0.0.0.0. */
  HOST: z.string().min(1).optional(),
  /**
   * Which proxies in front of Parley to believe about the client (X-Forwarded-For, -Proto): `true` (any), a number of
   * hops, or comma-separated addresses / CIDR ranges. Unset: none.
   */
  TRUST_PROXY: z.string().regex(/^(true|false|\d+|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, 'true, false, a number of hops, or comma-separated addresses / CIDR ranges').optional(),
  /**
   * How long (ms) a client may take to send one whole request, headers and body; a slower one gets 408 and its
   * connection is closed. WebSocket connections and keep-alive idle time are not counted.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Where the embedded database (PGlite) and a Redis started by Parley keep their files. */
  DATA_DIR: z.string().min(1).default('./.parley'),
  /** PostgreSQL connection string; when unset Parley uses PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Redis for locks, pub/sub between processes and queues. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Start a redis-server under DATA_DIR when nothing answers at REDIS_URL and redis-server is on PATH. */
  REDIS_AUTOSTART: booleanFlag.default(true),
  /** Directory of the flow files. */
  FLOWS_DIR: z.string().min(1).default('./flows'),
  /** Log level: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Keep customer text and phone numbers out of logs. Only turn off to debug locally. */
  LOG_REDACT: booleanFlag.default(true),
  /** How often the outbox tries to deliver one reply before marking it failed. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** How long (ms) a process's claim on a reply it is sending lasts: a killed process's replies are sent by another after this. */
  OUTBOX_CLAIM_TTL_MS: z.coerce.number().int().min(1000).default(60000),
  /** How long (ms) a channel's API (WhatsApp Cloud, Bot Framework, Slack) may take to accept one reply before the send is abandoned and retried. */
  CHANNEL_SEND_TIMEOUT_MS: z.coerce.number().int().min(1000).default(DEFAULT_SEND_TIMEOUT_MS),
  /** How long one turn may hold a conversation's lock (ms) before another process may take it over. */
  TURN_LOCK_TTL_MS: z.coerce.number().int().min(1000).default(30000),
  /** Endpoints of `call` steps, as a JSON object (see src/integrations/call-endpoints.ts). */
  CALL_ENDPOINTS: z.string().optional(),
  /** A JSON file with the endpoints of `call` steps, instead of CALL_ENDPOINTS. */
  CALL_ENDPOINTS_FILE: z.string().optional(),
  /** Demo mode: the demo agent demo / demo, 127.0.0.1. Unset: on unless agents or a channel's secrets are set (src/demo/demo-mode.ts). */
  DEMO_MODE: booleanFlag.optional(),
  /** Serve the demo shop's order API at /demo/orders/:number, and point `order_lookup` at it unless configured. Unset: on unless DEMO_MODE=false. */
  DEMO_ORDERS: booleanFlag.optional(),
  /** Bearer token of the /admin endpoints (flow reload); unset: they answer 404. At least 16 characters. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Parley Studio: preview turns, "try a question" and test runs one editor may ask for per minute (also the burst); 0: no limit. */
  STUDIO_TRY_LIMIT: z.coerce.number().int().min(0).default(30),
  /** Reload the flows when a file in FLOWS_DIR changes. */
  FLOWS_WATCH: booleanFlag.default(true),
  /** How long (ms) a replaced flow version stays in use for conversations in the middle of one of its flows. */
  FLOWS_GRACE_MS: z.coerce.number().int().min(0).default(1_800_000),
  /**
   * How often (ms) a server process asks the database whether a newer release was published, in case its Redis
   * announcement did not arrive (a dropped subscription, a network cut); 0: only the announcements and starts.
   */
  RELEASES_POLL_MS: z.coerce.number().int().min(0).default(30_000),
  /** Directory of the knowledge base: Markdown articles and JSON Lines FAQ files. */
  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
  /**
   * The one threshold of the understanding step (0..1): a free-text message starts the flow or gets the answer that
   * ranks first only when the calibrated confidence reaches it; below, the bot says it is not sure and offers the
   * closest candidates and a person. KB_MIN_CONFIDENCE is its former name, still read.
   */
  UNDERSTANDING_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  KB_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  /** Rebuild the knowledge index when a file under KNOWLEDGE_DIR changes. */
  KB_WATCH: booleanFlag.default(true),
  /** Key for OpenAI or an OpenAI-compatible server: hybrid retrieval and written answers. Unset: lexical and extractive. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1); unset: OpenAI. */
  OPENAI_BASE_URL: z.string().url().optional(),
  /** Model that writes knowledge answers from the retrieved passages. */
  OPENAI_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Model that embeds passages and questions (embeddings are cached under DATA_DIR by content hash). */
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  /**
   * Dimensions the embeddings are asked for (the API's `dimensions`, which text-embedding-3 models support): fewer
   * take less memory and time per question (at 100,000 passages 512 instead of 1,536: 51 instead of 149 MiB). Unset:
   * the model's own. Changing it embeds the passages again.
   */
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(16).max(8192).optional(),
  /**
   * With OPENAI_API_KEY: the chat model may choose among the understanding step's first candidates (masked text);
   * buttons, answers to a waiting question and messages that are essentially a keyword never reach it. Unset: true.
   * FLOW_CLASSIFIER is its former name, still read.
   */
  UNDERSTANDING_MODEL: booleanFlag.optional(),
  FLOW_CLASSIFIER: booleanFlag.optional(),
  /**
   * The offline sentence encoder (Universal Sentence Encoder lite, shipped in a package): re-ranks the understanding
   * step's first candidates by meaning for English messages. Costs about 10 ms of CPU per message it re-ranks.
   */
  UNDERSTANDING_ENCODER: booleanFlag.default(true),
  /** Handoff to people: agents, the queue, waiting customers, the Slack app (src/handoff/handoff-config.ts). */
  ...HANDOFF_ENV,
  ...SLACK_ENV,
  /** The Bot Framework channel (adapters/botframework/config.ts). */
  ...BOTFRAMEWORK_ENV,
  /** The WhatsApp Cloud API channel (adapters/whatsapp-cloud/config.ts). */
  ...WHATSAPP_ENV,
  /** The WhatsApp Web channel, whatsapp-web.js (adapters/whatsapp-web/config.ts). */
  ...WHATSAPP_WEB_ENV,
  /** Customers across channels, consent, /api/notify (src/customers/customers-config.ts). */
  ...CUSTOMERS_ENV,
  /** The report and /metrics (src/analytics/report-config.ts). */
  ...REPORT_ENV,
  /** Transcript retention (src/privacy/privacy-config.ts). */
  ...PRIVACY_ENV,
  /** The web chat's limits and conversation ids (adapters/web/config.ts). */
  ...WEB_ENV,
});

export type Env = z.infer<typeof EnvSchema>;

/** The name of every setting Parley reads. */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  port: number;
  host: string;
  /** Fastify's trustProxy: which proxies' X-Forwarded-* headers to believe. */
  trustProxy: boolean | number | string[];
  /** HTTP_REQUEST_TIMEOUT_MS: the time limit for receiving one request (408 past it). */
  requestTimeoutMs: number;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  redisAutostart: boolean;
  flowsDir: string;
  logLevel: Env['LOG_LEVEL'];
  logRedact: boolean;
  outboxMaxAttempts: number;
  outboxClaimTtlMs: number;
  channelSendTimeoutMs: number;
  turnLockTtlMs: number;
  /** Undefined when neither CALL_ENDPOINTS nor CALL_ENDPOINTS_FILE is set. */
  callEndpoints: Record<string, CallEndpoint> | undefined;
  /** Demo mode: the demo agent (with no agents configured), 127.0.0.1 by default. */
  demoMode: boolean;
  /** The demo shop's order API at /demo/orders/:number, used by `order_lookup` unless CALL_ENDPOINTS names one. */
  demoOrders: boolean;
  adminToken: string | undefined;
  studioTryLimit: number;
  flowsWatch: boolean;
  flowsGraceMs: number;
  releasesPollMs: number;
  knowledgeDir: string;
  /** UNDERSTANDING_MIN_CONFIDENCE (or KB_MIN_CONFIDENCE), default DEFAULT_MIN_CONFIDENCE. */
  minConfidence: number;
  kbWatch: boolean;
  /** Set when OPENAI_API_KEY is. */
  openai: { apiKey: string; baseURL: string | undefined; chatModel: string; embeddingModel: string; embeddingDimensions?: number } | undefined;
  /** UNDERSTANDING_MODEL (or FLOW_CLASSIFIER), and a model to ask (OPENAI_API_KEY): false whenever either is missing. */
  understandingModel: boolean;
  /** UNDERSTANDING_ENCODER: re-rank by meaning offline. */
  understandingEncoder: boolean;
  /** The handoff system's settings, and the Slack app's (adapters/slack/config.ts): its agent desk takes handoffs. */
  handoff: HandoffConfig & { slack: SlackConfig | undefined };
  /** The Bot Framework channel; undefined when BOTFRAMEWORK is off. */
  botframework: BotFrameworkConfig | undefined;
  /** The WhatsApp Cloud API channel; undefined unless its verify token, app secret and access token are all set. */
  whatsapp: WhatsAppConfig | undefined;
  /** The WhatsApp Web channel (whatsapp-web.js); undefined unless WHATSAPP_WEB is on. */
  whatsappWeb: WhatsAppWebConfig | undefined;
  /** Customers across channels, the consent ledger, /api/notify's keys. */
  customers: CustomersConfig;
  /** The report and /metrics. */
  report: ReportConfig;
  /** Transcript retention. */
  privacy: PrivacyConfig;
  /** The web chat's limits and conversation ids. */
  web: WebConfig;
}

function trustProxyOf(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

/** Parses the environment into a Config, or throws CONFIG_INVALID naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ParleyError('CONFIG_INVALID', `Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.CHANNEL_SEND_TIMEOUT_MS >= e.OUTBOX_CLAIM_TTL_MS) {
    // A claim that lapses while its send is still under way lets another process send the same reply.
    throw new ParleyError('CONFIG_INVALID', `Invalid configuration: CHANNEL_SEND_TIMEOUT_MS (${e.CHANNEL_SEND_TIMEOUT_MS}) must be below OUTBOX_CLAIM_TTL_MS (${e.OUTBOX_CLAIM_TTL_MS})`);
  }
  const whatsapp = whatsappConfig(e);
  if (whatsapp.problems.length > 0) throw new ParleyError('CONFIG_INVALID', `Invalid configuration: ${whatsapp.problems.join('; ')}`);
  const whatsappWeb = whatsappWebConfig(e, path.resolve(cwd, e.DATA_DIR));
  if (whatsappWeb.problems.length > 0) throw new ParleyError('CONFIG_INVALID', `Invalid configuration: ${whatsappWeb.problems.join('; ')}`);
  const demoMode = demoModeOf(e);
  const withDemoMode = { ...e, DEMO_MODE: demoMode };
  const slack = slackConfig(e);
  const handoff = withDemoAgent({ ...handoffConfig(e, cleaned, cwd), slack }, demoMode);
  checkRoutesServed(handoff.routes, handoff.agents, Boolean(handoff.slack?.agentChannel));
  return {
    port: e.PORT,
    host: e.HOST ?? (demoMode ? '127.0.0.1' : '0.0.0.0'),
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisAutostart: e.REDIS_AUTOSTART,
    flowsDir: path.resolve(cwd, e.FLOWS_DIR),
    logLevel: e.LOG_LEVEL,
    logRedact: e.LOG_REDACT,
    outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    outboxClaimTtlMs: e.OUTBOX_CLAIM_TTL_MS,
    channelSendTimeoutMs: e.CHANNEL_SEND_TIMEOUT_MS,
    turnLockTtlMs: e.TURN_LOCK_TTL_MS,
    callEndpoints: loadCallEndpoints(cleaned, cwd),
    demoMode,
    demoOrders: e.DEMO_ORDERS ?? e.DEMO_MODE !== false,
    adminToken: e.ADMIN_TOKEN,
    studioTryLimit: e.STUDIO_TRY_LIMIT,
    flowsWatch: e.FLOWS_WATCH,
    flowsGraceMs: e.FLOWS_GRACE_MS,
    releasesPollMs: e.RELEASES_POLL_MS,
    knowledgeDir: path.resolve(cwd, e.KNOWLEDGE_DIR),
    minConfidence: e.UNDERSTANDING_MIN_CONFIDENCE ?? e.KB_MIN_CONFIDENCE ?? DEFAULT_MIN_CONFIDENCE,
    kbWatch: e.KB_WATCH,
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseURL: e.OPENAI_BASE_URL,
          chatModel: e.OPENAI_CHAT_MODEL,
          embeddingModel: e.OPENAI_EMBEDDING_MODEL,
          ...(e.OPENAI_EMBEDDING_DIMENSIONS ? { embeddingDimensions: e.OPENAI_EMBEDDING_DIMENSIONS } : {}),
        }
      : undefined,
    understandingModel: (e.UNDERSTANDING_MODEL ?? e.FLOW_CLASSIFIER ?? true) && e.OPENAI_API_KEY !== undefined,
    understandingEncoder: e.UNDERSTANDING_ENCODER,
    handoff,
    // Demo mode as decided above (unset DEMO_MODE is not false): it turns the Bot Framework Emulator on by default.
    botframework: botFrameworkConfig(withDemoMode),
    whatsapp: whatsapp.config,
    whatsappWeb: whatsappWeb.config,
    customers: customersConfig(e),
    report: reportConfig(e),
    privacy: privacyConfig(e),
    web: webConfig(e),
  };
}

function withDemoAgent(handoff: Config['handoff'], demoMode: boolean): Config['handoff'] {
  if (!demoMode || handoff.agents.length > 0 || handoff.slack?.agentChannel) return handoff;
  return { ...handoff, agents: [demoAgent(handoff.defaultQueue)] };
}
