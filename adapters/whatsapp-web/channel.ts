import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { Address } from '../../src/core/message.ts';
import type { Logger } from '../../src/infra/logger.ts';
import type { AdminAuth } from '../../src/server/auth/admin-auth.ts';
import { registerWhatsAppWebAdmin } from './admin-routes.ts';
import { createWwebjsClient } from './client.ts';
import type { WhatsAppWebConfig } from './config.ts';
import { WhatsAppWebConnector, type ConnectorOptions } from './connector.ts';
import type { AckStatus } from './normalize.ts';
import { createWhatsAppWebSender } from './send.ts';

/** What tests (or an embedding application) may replace: the client below the boundary, and the timings. */
export type WhatsAppWebOverrides = Partial<Pick<ConnectorOptions, 'createClient' | 'output' | 'lockTtlMs' | 'standbyPollMs' | 'backoffMs'>>;

export interface WhatsAppWebChannelOptions extends WhatsAppWebOverrides {
  settings: WhatsAppWebConfig;
  redis: Redis;
  /** A new Redis connection for pub/sub (sends from servers that do not hold the number); closed on stop. */
  subscriber?: Redis;
  logger: Logger;
  lastInboundAt: (address: Address) => Promise<Date | null>;
  recordAck: (externalId: string, status: AckStatus, error?: string) => Promise<boolean>;
}

export interface WhatsAppWebChannel {
  sender: ChannelAdapter;
  connector: WhatsAppWebConnector;
  /** The admins' page with the connection's state and QR code. */
  register(app: FastifyInstance, options: { adminAuth: AdminAuth }): Promise<void>;
  /** Joins the servers that may hold the number (call once the server listens). */
  start(inbox: InboxPort): void;
  stop(): Promise<void>;
}

export function createWhatsAppWebChannel(options: WhatsAppWebChannelOptions): WhatsAppWebChannel {
  const { settings } = options;
  const connector = new WhatsAppWebConnector({
    settings: { clientId: settings.clientId, sessionDir: settings.sessionDir, chromiumPath: settings.chromiumPath },
    createClient: options.createClient ?? createWwebjsClient,
    redis: options.redis,
    ...(options.subscriber ? { subscriber: options.subscriber } : {}),
    recordAck: options.recordAck,
    logger: options.logger,
    groups: settings.groups,
    ...(options.output ? { output: options.output } : {}),
    ...(options.lockTtlMs !== undefined ? { lockTtlMs: options.lockTtlMs } : {}),
    ...(options.standbyPollMs !== undefined ? { standbyPollMs: options.standbyPollMs } : {}),
    ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
  });
  const sender = createWhatsAppWebSender({
    sendText: (chatId, text) => connector.sendText(chatId, text),
    windowMs: settings.windowMs,
    lastInboundAt: options.lastInboundAt,
  });
  return {
    sender,
    connector,
    register: (app, { adminAuth }) => registerWhatsAppWebAdmin(app, { adminAuth, status: () => connector.status() }),
    start: (inbox) => connector.start(inbox),
    stop: () => connector.stop(),
  };
}
