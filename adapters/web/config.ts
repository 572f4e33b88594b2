import { z } from 'zod';
import { booleanSetting } from '../../src/infra/boolean-setting.ts';

/** The web chat's settings, merged into the one environment schema in src/config.ts. */
export const WEB_ENV = {
  /** Web chat requests, socket connections and socket frames one client address may send per minute (also the burst); 0: no limit. */
  WEBCHAT_ADDRESS_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(120),
  /** Messages (and greetings asked for) one web conversation may send per minute (also the burst); 0: no limit. */
  WEBCHAT_CONVERSATION_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(30),
  /** Frames one WebSocket may have waiting to be worked; more are refused with an error frame. */
  WEBCHAT_SOCKET_QUEUE: z.coerce.number().int().min(1).max(1000).default(16),
  /**
   * Accept new conversations under ids a client chose (`1`, `order-42`), as before: anyone who guesses such an id
   * reads and writes that conversation. Only for integrations that pick their own ids and keep /api/webchat from strangers.
   */
  WEBCHAT_WEAK_IDS: booleanSetting.default(false),
};

type WebEnv = z.infer<z.ZodObject<typeof WEB_ENV>>;

export interface WebConfig {
  /** Per client address, per minute; 0: off. */
  addressLimit: number;
  /** Per conversation, per minute; 0: off. */
  conversationLimit: number;
  socketQueue: number;
  weakIds: boolean;
}

export function webConfig(env: WebEnv): WebConfig {
  return {
    addressLimit: env.WEBCHAT_ADDRESS_LIMIT,
    conversationLimit: env.WEBCHAT_CONVERSATION_LIMIT,
    socketQueue: env.WEBCHAT_SOCKET_QUEUE,
    weakIds: env.WEBCHAT_WEAK_IDS,
  };
}
