import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where Debian and Ubuntu put Chromium; the first one present is used when CHROMIUM_PATH is unset. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/** The whatsapp-web.js channel's settings, merged into the one environment schema in src/config.ts. */
export const WHATSAPP_WEB_ENV = {
  /** Connect a WhatsApp account through WhatsApp Web (whatsapp-web.js, QR login). Off unless set. */
  WHATSAPP_WEB: flag.default(false),
  /** The Chromium that whatsapp-web.js drives; unset: /usr/bin/chromium (none is ever downloaded). */
  CHROMIUM_PATH: z.string().min(1).optional(),
  /** Names the phone number's session (under DATA_DIR/whatsapp-web) and its Redis lock: one connector per number. */
  WHATSAPP_WEB_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)')
    .default('default'),
  /** Hours after the customer's last message in which free-form replies go out; later ones wait. 0: no window. */
  WHATSAPP_WEB_WINDOW_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
  /** Answer messages in groups the number is in (statuses are never answered). */
  WHATSAPP_WEB_GROUPS: flag.default(false),
};

type WhatsAppWebEnv = z.infer<z.ZodObject<typeof WHATSAPP_WEB_ENV>>;

export interface WhatsAppWebConfig {
  clientId: string;
  chromiumPath: string;
  /** LocalAuth's data path: the session lives in `session-<clientId>` below it. */
  sessionDir: string;
  /** 0: no window. */
  windowMs: number;
  groups: boolean;
}

/** Undefined when WHATSAPP_WEB is off; a missing Chromium is reported at start, not at the first QR code. */
export function whatsappWebConfig(
  env: WhatsAppWebEnv,
  dataDir: string,
  exists: (file: string) => boolean = existsSync,
): { config: WhatsAppWebConfig | undefined; problems: string[] } {
  if (!env.WHATSAPP_WEB) return { config: undefined, problems: [] };
  const chromiumPath = env.CHROMIUM_PATH ?? SYSTEM_CHROMIUM.find((file) => exists(file));
  if (!chromiumPath || !exists(chromiumPath)) {
    const where = env.CHROMIUM_PATH ? `${env.CHROMIUM_PATH} does not exist` : `no Chromium at ${SYSTEM_CHROMIUM.join(' or ')}`;
    return { config: undefined, problems: [`CHROMIUM_PATH: WhatsApp Web needs Chromium (${where}); install it (apt-get install chromium) or set CHROMIUM_PATH`] };
  }
  return {
    config: {
      clientId: env.WHATSAPP_WEB_CLIENT_ID,
      chromiumPath,
      sessionDir: path.join(dataDir, 'whatsapp-web'),
      windowMs: env.WHATSAPP_WEB_WINDOW_HOURS * 3600_000,
      groups: env.WHATSAPP_WEB_GROUPS,
    },
    problems: [],
  };
}
