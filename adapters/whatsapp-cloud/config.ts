import { z } from 'zod';

/** Meta's Graph API, with a pinned version so a new default version never changes Parley's requests. */
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com/v21.0';

/** The WhatsApp Cloud API channel's settings, merged into the one environment schema in src/config.ts. */
export const WHATSAPP_ENV = {
  /** Token Meta echoes in the webhook verification handshake (you choose it when you set up the webhook). */
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  /** The Meta app's secret: webhook POSTs are signed with it (X-Hub-Signature-256). */
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  /** Access token (a system user's) that may send messages from the business's numbers. */
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Base URL of the Graph API, version included. */
  WHATSAPP_GRAPH_URL: z.string().url().default(DEFAULT_GRAPH_URL),
  /** `name:language` of an approved template sent instead of a free-form reply outside the 24-hour window. */
  WHATSAPP_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}:[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})*$/, 'must be template_name:language, e.g. parley_followup:en')
    .optional(),
};

type WhatsAppEnv = z.infer<z.ZodObject<typeof WHATSAPP_ENV>>;

export interface WhatsAppTemplate {
  name: string;
  language: string;
}

export interface WhatsAppConfig {
  verifyToken: string;
  appSecret: string;
  accessToken: string;
  /** Without a trailing slash. */
  graphUrl: string;
  template: WhatsAppTemplate | undefined;
}

/**
 * The channel is on when all three secrets are set and off when none is; some but not all is a mistake, reported
 * at start rather than at the first webhook.
 */
export function whatsappConfig(env: WhatsAppEnv): { config: WhatsAppConfig | undefined; problems: string[] } {
  const required = ['WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN'] as const;
  const missing = required.filter((name) => env[name] === undefined);
  if (missing.length === required.length) return { config: undefined, problems: [] };
  if (missing.length > 0) {
    return { config: undefined, problems: missing.map((name) => `${name}: required when any WhatsApp Cloud API setting is set`) };
  }
  const [name, language] = env.WHATSAPP_TEMPLATE ? env.WHATSAPP_TEMPLATE.split(':') : [];
  return {
    config: {
      verifyToken: env.WHATSAPP_VERIFY_TOKEN!,
      appSecret: env.WHATSAPP_APP_SECRET!,
      accessToken: env.WHATSAPP_ACCESS_TOKEN!,
      graphUrl: env.WHATSAPP_GRAPH_URL.replace(/\/+$/, ''),
      template: name && language ? { name, language } : undefined,
    },
    problems: [],
  };
}
