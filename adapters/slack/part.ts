import type { PartFactory } from '../../src/core/part.ts';
import { channelReferences } from '../../src/store/channel-references.ts';
import { createSlackChannel } from './channel.ts';
import { SLACK_CHANNEL } from './normalize.ts';

/**
 * The Slack app (SLACK_* settings): the customer channel when SLACK_CUSTOMERS is on, the agent desk when
 * SLACK_AGENT_CHANNEL is set, one Bolt app and one Request URL for both.
 */
export const slackPart: PartFactory = ({ config, logger, store }) => {
  if (!config.handoff.slack) return undefined;
  const slack = createSlackChannel({
    settings: config.handoff.slack, references: store.repository(channelReferences), logger, sendTimeoutMs: config.channelSendTimeoutMs,
  });
  return {
    name: SLACK_CHANNEL,
    ...(slack.sender ? { channel: slack.sender } : {}),
    desk: (service) => slack.desk(service),
    ...(slack.deskCopies ? { deskCopies: slack.deskCopies } : {}),
    routes: { register: (scope, { inbox }) => slack.register(scope, { inbox }) },
  };
};
