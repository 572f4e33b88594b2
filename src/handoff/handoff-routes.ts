/**
 * HANDOFF_ROUTES: which agents' queue a new handoff waits in, from what is known when it opens: the flow the
 * customer was in, their language, their channel, and why they were handed over. Rules are tried in order and the
 * first that matches wins; no match, HANDOFF_DEFAULT_QUEUE. A rule matches when each of its conditions does (a
 * condition left out matches anything; a list matches any of its entries):
 *
 *   [{ "locale": "de", "queue": "support-de" },
 *    { "flow": ["billing", "refund_*"], "queue": "billing" },
 *    { "trigger": "frustration", "channel": "whatsapp", "queue": "escalations" }]
 *
 * `locale` matches by language (`de` matches `de-AT`); a flow name ending in `*` matches the names that begin with
 * what comes before it.
 */
import { z } from 'zod';
import { invalidSetting, readJsonSetting } from '../infra/json-setting.ts';
import type { Agent } from './agents.ts';
import { HANDOFF_TRIGGERS, type HandoffTrigger } from './context.ts';

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).optional();

const RouteSchema = z.strictObject({
  queue: z.string().min(1).max(64),
  flow: oneOrMany(z.string().min(1)),
  locale: oneOrMany(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language, like de or de-AT')),
  channel: oneOrMany(z.string().min(1)),
  trigger: oneOrMany(z.enum(HANDOFF_TRIGGERS)),
});
const RoutesSchema = z.array(RouteSchema);

export type HandoffRoute = z.infer<typeof RouteSchema>;

/** What is known of a handoff when it opens. */
export interface RouteFacts {
  flow: string | undefined;
  locale: string | undefined;
  channel: string;
  trigger: HandoffTrigger;
}

export function readHandoffRoutes(env: Record<string, string | undefined>, cwd: string): HandoffRoute[] {
  return readJsonSetting(env, 'HANDOFF_ROUTES', RoutesSchema, cwd)?.value ?? [];
}

/**
 * Refuses routes to a queue no agent of the web console serves (such a handoff would wait for nobody). The Slack
 * desk shows every queue, so with it any queue is served.
 */
export function checkRoutesServed(routes: readonly HandoffRoute[], agents: readonly Agent[], slackDesk: boolean): void {
  if (slackDesk) return;
  const served = new Set(agents.flatMap((agent) => agent.queues));
  const unserved = [...new Set(routes.map((route) => route.queue))].filter((queue) => !served.has(queue));
  if (unserved.length > 0) {
    throw invalidSetting(`HANDOFF_ROUTES: no agent serves the queue${unserved.length > 1 ? 's' : ''} ${unserved.map((q) => `'${q}'`).join(', ')}: add it to an agent's queues in AGENTS, or route elsewhere`);
  }
}

const list = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

function flowMatches(pattern: string, flow: string | undefined): boolean {
  if (flow === undefined) return false;
  return pattern.endsWith('*') ? flow.startsWith(pattern.slice(0, -1)) : flow === pattern;
}

function localeMatches(pattern: string, locale: string | undefined): boolean {
  if (locale === undefined) return false;
  const [want, have] = [pattern.toLowerCase(), locale.toLowerCase()];
  return have === want || have.startsWith(`${want}-`);
}

/** The queue of the first route that matches, else `defaultQueue`. */
export function routeHandoff(routes: readonly HandoffRoute[], facts: RouteFacts, defaultQueue: string): string {
  const matches = (route: HandoffRoute): boolean =>
    (list(route.flow)?.some((pattern) => flowMatches(pattern, facts.flow)) ?? true)
    && (list(route.locale)?.some((pattern) => localeMatches(pattern, facts.locale)) ?? true)
    && (list(route.channel)?.includes(facts.channel) ?? true)
    && (list(route.trigger)?.includes(facts.trigger) ?? true);
  return routes.find(matches)?.queue ?? defaultQueue;
}
