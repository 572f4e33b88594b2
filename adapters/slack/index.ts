import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { AgentDesk } from '../../src/handoff/desk.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { createSlackDesk } from './slack-desk.ts';
import { mountBoltReceiver } from './receiver.ts';

export interface SlackDeskOptions {
  signingSecret: string;
  botToken: string;
  /** Channel id where handoffs are posted; replies in a handoff's thread go to its customer. */
  channel: string;
  /** Slack Web API base URL. */
  apiUrl: string;
  service: HandoffService;
  redis: Redis;
  prefix: string;
  logger: Logger;
}

/** The Slack agent desk: a Bolt app in HTTP mode, served by Parley's Fastify at /slack/events and /slack/interactivity. */
export async function registerSlackDesk(http: FastifyInstance, options: SlackDeskOptions): Promise<AgentDesk> {
  const { app, receiver, desk } = createSlackDesk(options);
  await mountBoltReceiver(http, receiver);
  await app.init();
  return desk;
}
