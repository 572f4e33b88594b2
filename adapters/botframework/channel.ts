import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { BotFrameworkConfig } from './config.ts';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { BotFrameworkDesk, type HandoffServicePort } from './handoff.ts';
import { registerBotFrameworkRoutes } from './routes.ts';
import { createBotFrameworkSender, type ReferenceStore } from './send.ts';

export interface BotFrameworkChannelOptions {
  settings: BotFrameworkConfig;
  references: ReferenceStore;
  logger: Logger;
  /** How long one send may take before it is cut off (and retried by the outbox); 15 s unless given. */
  sendTimeoutMs?: number;
}

export interface BotFrameworkChannel {
  sender: ChannelAdapter;
  /** The handoff side; call before the handoff system starts, with its service. */
  desk(service: HandoffServicePort): BotFrameworkDesk;
  register(http: FastifyInstance, options: { inbox: InboxPort }): Promise<void>;
}

/** The Bot Framework channel: one CloudAdapter shared by the endpoint, the sender and the handoff desk. */
export function createBotFrameworkChannel(options: BotFrameworkChannelOptions): BotFrameworkChannel {
  const { settings, references, logger } = options;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppTenantId: settings.appTenantId,
    MicrosoftAppType: settings.appType,
  });
  const adapter = new CloudAdapter(auth);
  const appId = settings.appId ?? '';
  let desk: BotFrameworkDesk | undefined;
  return {
    sender: createBotFrameworkSender({ adapter, appId, references, policy: settings, ...(options.sendTimeoutMs ? { timeoutMs: options.sendTimeoutMs } : {}) }),
    desk(service) {
      desk = new BotFrameworkDesk({ adapter, appId, references, service, logger, ...(options.sendTimeoutMs ? { timeoutMs: options.sendTimeoutMs } : {}) });
      return desk;
    },
    async register(http, { inbox }) {
      await registerBotFrameworkRoutes(http, {
        adapter, auth, settings, inbox, references, logger,
        handoffStatus: async (conversationId, state, message) => {
          if (desk) await desk.status(conversationId, state, message);
          else logger.info({ state }, 'handoff.status received, but no agent desk is configured');
        },
      });
    },
  };
}
