import { isDirectMessage, isPersonMessage, type SlackMessageEvent } from './normalize.ts';

/**
 * Which side of the Slack app an event is for. Slack sends all of an app's events to one Request URL:
 * - `desk`: a person's reply in a thread of the agent channel (a handoff's thread);
 * - `customer`: a DM to the app, or an @mention anywhere but the agent channel;
 * - `customer-thread`: a reply without @mention in a thread elsewhere; it is the customer's only if the thread
 *   already is a conversation (the mention started one), which the customer channel checks.
 * Undefined: ignored (bots, our own messages, edits and deletions, anything else in the agent channel).
 */
export type SlackRoute = 'desk' | 'customer' | 'customer-thread' | undefined;

export interface RoutingOptions {
  /** The agent desk's channel; undefined when the desk is off. */
  agentChannel: string | undefined;
  /** The customer side is on. */
  customers: boolean;
  /** The app's bot user, when the event names it. */
  botUserId: string | undefined;
}

export function routeOf(event: SlackMessageEvent, options: RoutingOptions): SlackRoute {
  if (!isPersonMessage(event) || (options.botUserId !== undefined && event.user === options.botUserId)) return undefined;
  if (options.agentChannel !== undefined && event.channel === options.agentChannel) {
    return event.type === 'message' && event.thread_ts !== undefined && event.thread_ts !== event.ts ? 'desk' : undefined;
  }
  if (!options.customers) return undefined;
  if (event.type === 'app_mention') return 'customer';
  if (event.type !== 'message') return undefined;
  if (isDirectMessage(event)) return 'customer';
  return event.thread_ts !== undefined && event.thread_ts !== event.ts ? 'customer-thread' : undefined;
}
