/**
 * The handoff settings (agents, queue, waiting customers, Slack). Their zod shape is spread into src/config.ts's
 * EnvSchema, so they are parsed with every other setting, once, at start.
 */
import { z } from 'zod';
import { loadAgents, type Agent } from './agents.ts';
import { readOpeningHours, type OpeningHoursSetting } from '../hours/opening-hours.ts';
import { invalidSetting } from '../infra/json-setting.ts';
import { readHandoffRoutes, type HandoffRoute } from './handoff-routes.ts';

export const HANDOFF_ENV = {
  /** The agents of the web console (JSON array; see src/handoff/agents.ts). With no agents and no Slack, nobody takes handoffs. */
  AGENTS: z.string().optional(),
  /** A JSON file with the agents, instead of AGENTS. */
  AGENTS_FILE: z.string().optional(),
  /** How long an agent's console session lasts (ms). */
  AGENT_SESSION_TTL_MS: z.coerce.number().int().min(60_000).default(43_200_000),
  /** BullMQ queue that carries handoffs to the agent desks. */
  HANDOFF_QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('handoffs'),
  /** Prefix of the queue's Redis keys; must contain a {hash tag} so it runs on Redis Cluster. */
  HANDOFF_QUEUE_PREFIX: z.string().regex(/\{[^{}]+\}/, 'must contain a {hash tag}, like {parley}').default('{parley}'),
  /** Attempts to announce a handoff on the desks before its job is kept as failed. */
  HANDOFF_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** The agents' queue new handoffs wait in, unless HANDOFF_ROUTES sends them elsewhere. */
  HANDOFF_DEFAULT_QUEUE: z.string().min(1).max(64).default('support'),
  /** Rules that pick a handoff's queue by flow, language, channel or trigger (JSON array; see src/handoff/handoff-routes.ts). */
  HANDOFF_ROUTES: z.string().optional(),
  /** A JSON file with the routes, instead of HANDOFF_ROUTES. */
  HANDOFF_ROUTES_FILE: z.string().optional(),
  /** Payload of the flow that hands over when a customer asks for a person in any words; `none`: a built-in message. */
  HANDOFF_PERSON_FLOW: z.string().default('human'),
  /**
   * Queues whose handoffs are assigned automatically to their available console agents, round-robin, each agent up to
   * `maxPerAgent` open handoffs: JSON like {"support": {"maxPerAgent": 3}}. Other queues are claimed by hand.
   */
  HANDOFF_AUTO_ASSIGN: z.string().optional(),
  /**
   * When people are there to take handoffs: JSON with a time zone, the week's hours, holidays, and per-queue
   * exceptions (src/hours/opening-hours.ts). Unset: always.
   */
  OPENING_HOURS: z.string().optional(),
  /** How often (ms) a waiting customer is told their place in the queue again. */
  HANDOFF_NOTICE_EVERY_MS: z.coerce.number().int().min(1000).default(120_000),
  /** After how long (ms) unclaimed a waiting customer is offered to leave a message. */
  HANDOFF_OFFER_MESSAGE_AFTER_MS: z.coerce.number().int().min(1000).default(600_000),
  /** How long (ms) the chat model may take to write a handoff's summary (OpenAI configured) before the extractive one is used. */
  HANDOFF_SUMMARY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
};

type HandoffEnv = z.infer<z.ZodObject<typeof HANDOFF_ENV>>;

export interface HandoffConfig {
  agents: Agent[];
  sessionTtlMs: number;
  queueName: string;
  queuePrefix: string;
  attempts: number;
  defaultQueue: string;
  /** Tried in order; the first that matches picks the queue (handoff-routes.ts). */
  routes: HandoffRoute[];
  /** Undefined when HANDOFF_PERSON_FLOW is `none`. */
  personFlow: string | undefined;
  noticeEveryMs: number;
  offerMessageAfterMs: number;
  /** Deadline of the model-written summary (ms). */
  summaryTimeoutMs: number;
  /** The Slack app: set when the signing secret and bot token are, and it has something to do (customers or the desk). */
  /** Queues assigned automatically (HANDOFF_AUTO_ASSIGN), with each one's cap per agent. */
  autoAssign: Record<string, { maxPerAgent: number }>;
  /** OPENING_HOURS; undefined: people are always there. */
  openingHours: OpeningHoursSetting | undefined;
}

const AutoAssignSchema = z.record(z.string().min(1).max(64), z.strictObject({ maxPerAgent: z.number().int().min(1).max(100) }));

function readAutoAssign(raw: string | undefined, agents: readonly Agent[]): Record<string, { maxPerAgent: number }> {
  if (!raw?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalidSetting('HANDOFF_AUTO_ASSIGN: not valid JSON');
  }
  const parsed = AutoAssignSchema.safeParse(json);
  if (!parsed.success) throw invalidSetting(`HANDOFF_AUTO_ASSIGN: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  const served = new Set(agents.flatMap((agent) => agent.queues));
  const unserved = Object.keys(parsed.data).filter((queue) => !served.has(queue));
  if (unserved.length > 0) throw invalidSetting(`HANDOFF_AUTO_ASSIGN: no console agent works the queue ${unserved.join(', ')}`);
  return parsed.data;
}

export function handoffConfig(e: HandoffEnv, env: Record<string, string | undefined>, cwd: string): HandoffConfig {
  const agents = loadAgents(env, cwd);
  return {
    agents,
    sessionTtlMs: e.AGENT_SESSION_TTL_MS,
    queueName: e.HANDOFF_QUEUE_NAME,
    queuePrefix: e.HANDOFF_QUEUE_PREFIX,
    attempts: e.HANDOFF_ATTEMPTS,
    defaultQueue: e.HANDOFF_DEFAULT_QUEUE,
    routes: readHandoffRoutes(env, cwd),
    personFlow: ['', 'none'].includes(e.HANDOFF_PERSON_FLOW.trim()) ? undefined : e.HANDOFF_PERSON_FLOW.trim(),
    noticeEveryMs: e.HANDOFF_NOTICE_EVERY_MS,
    offerMessageAfterMs: e.HANDOFF_OFFER_MESSAGE_AFTER_MS,
    summaryTimeoutMs: e.HANDOFF_SUMMARY_TIMEOUT_MS,
    autoAssign: readAutoAssign(e.HANDOFF_AUTO_ASSIGN, agents),
    openingHours: openingHoursOf(e.OPENING_HOURS),
  };
}

function openingHoursOf(raw: string | undefined): OpeningHoursSetting | undefined {
  try {
    return readOpeningHours(raw);
  } catch (error) {
    throw invalidSetting(`OPENING_HOURS: ${(error as Error).message}`);
  }
}
