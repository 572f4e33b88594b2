import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { AgentDesk } from '../../src/handoff/desk.ts';
import type { SlackConfig } from './config.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { createSlackCustomers, type SlackCustomers } from './customer-channel.ts';
import type { SlackMessageEvent } from './normalize.ts';
import { mountBoltReceiver } from './receiver.ts';
import { routeOf } from './routing.ts';
import { createSlackApp } from './slack-app.ts';
import { createSlackDesk, type SlackDesk } from './slack-desk.ts';
import { createSlackSender, type ReferenceStore } from './send.ts';
import { slackDeskCopies } from './desk-copies.ts';
import type { HandoffCopies } from '../../src/privacy/customer-erase.ts';

export interface SlackChannelOptions {
  settings: SlackConfig;
  references: ReferenceStore;
  logger: Logger;
  /** How long a customer reply may take to be accepted (CHANNEL_SEND_TIMEOUT_MS). */
  sendTimeoutMs?: number;
}

export interface SlackChannel {
  /** The customer channel's sender; undefined when SLACK_CUSTOMERS is off. */
  sender: ChannelAdapter | undefined;
  /** The agent desk, with the handoff service; undefined when SLACK_AGENT_CHANNEL is not set. */
  desk(service: HandoffService): AgentDesk | undefined;
  /** The agent desk's messages about handoffs, for an erase to delete; undefined without the desk. */
  deskCopies: HandoffCopies | undefined;
  /** Mounts the one Request URL (/slack/events, /slack/interactivity) for both sides. */
  register(http: FastifyInstance, options: { inbox: InboxPort }): Promise<void>;
}

/**
 * The Slack app: one Bolt app and one receiver serve the agent desk (handoffs in SLACK_AGENT_CHANNEL) and the
 * customer channel (DMs to the app, @mentions elsewhere), because Slack sends all of an app's events to one URL.
 * Message events are routed by routing.ts; buttons by their action ids.
 */
export function createSlackChannel(options: SlackChannelOptions): SlackChannel {
  const { settings, references, logger } = options;
  const { app, receiver, client, sendClient } = createSlackApp({ ...settings, logger, ...(options.sendTimeoutMs ? { sendTimeoutMs: options.sendTimeoutMs } : {}) });
  let desk: SlackDesk | undefined;
  let customers: SlackCustomers | undefined;

  const onEvent = async ({ event, body }: { event: unknown; body: unknown }) => {
    const message = event as SlackMessageEvent;
    const envelope = body as { event_id?: string; team_id?: string; authorizations?: Array<{ user_id?: string; is_bot?: boolean }> };
    const botUserId = envelope.authorizations?.find((a) => a.is_bot)?.user_id;
    const route = routeOf(message, { agentChannel: settings.agentChannel, customers: customers !== undefined, botUserId });
    if (route === 'desk') await desk?.threadReply(message, envelope.event_id);
    else if (route) await customers?.receive(message, route, { teamId: envelope.team_id, botUserId });
  };
  app.event('message', onEvent);
  app.event('app_mention', onEvent);

  return {
    sender: settings.customers ? createSlackSender({ client: sendClient, references }) : undefined,
    deskCopies: settings.agentChannel ? slackDeskCopies(client) : undefined,
    desk(service) {
      if (!settings.agentChannel) return undefined;
      desk = createSlackDesk({ app, client, channel: settings.agentChannel, service, logger });
      return desk.desk;
    },
    async register(http, { inbox }) {
      if (settings.customers) customers = createSlackCustomers({ app, client: sendClient, inbox, references, logger });
      await mountBoltReceiver(http, receiver, settings.signingSecret);
      await app.init();
    },
  };
}
