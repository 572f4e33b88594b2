import { App, HTTPReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import { DEFAULT_SEND_TIMEOUT_MS } from '../../src/core/channel.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { SLACK_ENDPOINTS } from './receiver.ts';

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  /** Slack Web API base URL. */
  apiUrl: string;
  logger: Logger;
  /** How long a customer reply's Web API call may take (CHANNEL_SEND_TIMEOUT_MS); 15 s unless given. */
  sendTimeoutMs?: number;
}

export interface SlackApp {
  /** The one Bolt app behind the Request URL: the agent desk and the customer channel add their listeners to it. */
  app: App;
  receiver: HTTPReceiver;
  /** Retries on its own (rate limits, 5xx), as Bolt's client does: for the desk's posts and updates. */
  client: webApi.WebClient;
  /** Never retries: for customer replies, which the outbox retries with backoff, in order, and fails visibly. */
  sendClient: webApi.WebClient;
}

/**
 * Bolt's and the Web API client's log lines, into Parley's logger. Their debug lines are dropped: the client logs
 * request and result bodies there, which carry the text of messages.
 */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const line = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  return {
    debug: () => {},
    info: (...parts: unknown[]) => child.debug(line(parts)),
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    error: (...parts: unknown[]) => child.error(line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** The bot's own user id, as the Events API names it in `authorizations` (for mentions and ignoring ourselves). */
function botUserOf(body: unknown): string | undefined {
  const authorizations = (body as { authorizations?: Array<{ user_id?: string; is_bot?: boolean }> } | undefined)?.authorizations;
  return authorizations?.find((a) => a.is_bot)?.user_id;
}

/**
 * Bolt in HTTP mode with its own HTTPReceiver (signature and timestamp checked before anything is read). Requests
 * are answered after their listeners finish (processBeforeResponse), so a customer's message is answered 200 only
 * once it is stored; a failure answers 500 and Slack delivers the event again. Authorization needs no Web API call:
 * the one bot token, and the bot user the event itself names.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { signingSecret, botToken, apiUrl } = options;
  const logger = boltLogger(options.logger);
  const receiver = new HTTPReceiver({ signingSecret, endpoints: SLACK_ENDPOINTS, processBeforeResponse: true, logger });
  const app = new App({
    receiver,
    authorize: async (_source, body) => {
      const botUserId = botUserOf(body);
      return { botToken, ...(botUserId ? { botUserId } : {}) };
    },
    clientOptions: { slackApiUrl: apiUrl },
    deferInitialization: true,
    logger,
  });
  app.error(async (error) => {
    options.logger.warn({ err: error.message, code: error.code }, 'a Slack request failed; answered 500 so Slack delivers it again');
    throw error;
  });
  const client = new webApi.WebClient(botToken, { slackApiUrl: apiUrl, logger });
  const sendClient = new webApi.WebClient(botToken, { slackApiUrl: apiUrl, logger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS });
  return { app, receiver, client, sendClient };
}
