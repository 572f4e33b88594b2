/**
 * The Slack app's settings, merged into the one environment schema in src/config.ts. One Slack app (one Request URL)
 * serves both sides: the customer channel and the agent desk; the handoff system reads only whether the desk is on.
 */
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import { booleanSetting } from '../../src/infra/boolean-setting.ts';

export const SLACK_ENV = {
  /** Slack app signing secret; with SLACK_BOT_TOKEN it turns Slack on (customers, and the agent desk with SLACK_AGENT_CHANNEL). */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** Slack bot token (xoxb-…). */
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  /** Channel id where handoffs are posted; set, the Slack agent desk is on. */
  SLACK_AGENT_CHANNEL: z.string().min(1).optional(),
  /** Members of the workspace may talk to the bot (DMs to the app, @mentions); off: Slack is only the agent desk. */
  SLACK_CUSTOMERS: booleanSetting.default(true),
  /** Base URL of the Slack Web API. */
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
};

type SlackEnv = z.infer<z.ZodObject<typeof SLACK_ENV>>;

export interface SlackConfig {
  signingSecret: string;
  botToken: string;
  apiUrl: string;
  /** Where handoffs are posted; undefined: no Slack agent desk. */
  agentChannel: string | undefined;
  /** Workspace members talk to the bot (DMs to the app, @mentions). */
  customers: boolean;
}

/** Undefined when Slack is off (no secret and token, or neither customers nor an agent channel). */
export function slackConfig(e: SlackEnv): SlackConfig | undefined {
  if (Boolean(e.SLACK_SIGNING_SECRET) !== Boolean(e.SLACK_BOT_TOKEN) || (e.SLACK_AGENT_CHANNEL && !e.SLACK_BOT_TOKEN)) {
    throw new ParleyError('CONFIG_INVALID', 'Invalid configuration: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: set both to turn Slack on (and SLACK_AGENT_CHANNEL for the agent desk)');
  }
  return e.SLACK_SIGNING_SECRET && e.SLACK_BOT_TOKEN && (e.SLACK_CUSTOMERS || e.SLACK_AGENT_CHANNEL)
    ? { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL, agentChannel: e.SLACK_AGENT_CHANNEL, customers: e.SLACK_CUSTOMERS }
    : undefined;
}
