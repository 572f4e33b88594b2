import type { PartFactory } from '../../src/core/part.ts';
import { channelReferences } from '../../src/store/channel-references.ts';
import { createBotFrameworkChannel } from './channel.ts';
import { BOTFRAMEWORK_CHANNEL } from './normalize.ts';

/** The Bot Framework channel (POST /api/messages) and its own agent desk: on when its settings are. */
export const botFrameworkPart: PartFactory = ({ config, logger, store }) => {
  if (!config.botframework) return undefined;
  const channel = createBotFrameworkChannel({
    settings: config.botframework, references: store.repository(channelReferences), logger, sendTimeoutMs: config.channelSendTimeoutMs,
  });
  return {
    name: BOTFRAMEWORK_CHANNEL,
    channel: channel.sender,
    desk: (service) => channel.desk(service),
    routes: { register: (scope, { inbox }) => channel.register(scope, { inbox }) },
  };
};
