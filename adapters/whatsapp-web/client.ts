import path from 'node:path';
import type { ClientOptions } from 'whatsapp-web.js';

/**
 * The part of whatsapp-web.js's `Client` Parley uses: its events (`qr`, `authenticated`, `auth_failure`, `ready`,
 * `message`, `message_ack`, `disconnected`) and four methods. Everything below this boundary is the browser;
 * tests hand the connector a stand-in with the same events and methods.
 */
export interface WhatsAppWebClient {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } } | undefined>;
  destroy(): Promise<void>;
  getState(): Promise<string | null>;
  /** Set once the client is ready: the connected account. */
  info?: { wid?: { user?: string } } | undefined;
}

/** A message as whatsapp-web.js hands it to the `message` and `message_ack` events, as far as Parley reads it. */
export interface WhatsAppWebMessage {
  id: { _serialized: string };
  /** The chat: `<number>@c.us` (or `@lid`) for a person, `…@g.us` for a group, `status@broadcast` for statuses. */
  from: string;
  /** In a group: who wrote. */
  author?: string | undefined;
  fromMe: boolean;
  type: string;
  /** The text, or a media message's caption. */
  body: string;
  /** Unix seconds. */
  timestamp?: number | undefined;
  isStatus?: boolean | undefined;
  hasMedia?: boolean | undefined;
  location?: { latitude: number | string; longitude: number | string; name?: string; address?: string; description?: string } | undefined;
  selectedButtonId?: string | undefined;
  selectedRowId?: string | undefined;
  _data?: { mimetype?: string; filename?: string; notifyName?: string } | undefined;
}

export interface ClientSettings {
  clientId: string;
  /** LocalAuth's data path. */
  sessionDir: string;
  chromiumPath: string;
}

export type ClientFactory = (settings: ClientSettings) => WhatsAppWebClient | Promise<WhatsAppWebClient>;

/** Chromium flags for a server: no sandbox (containers run as root), no /dev/shm (often tiny in containers). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

/** The Client's options: the session kept by LocalAuth under DATA_DIR, the system Chromium, headless. */
export function clientOptions(settings: ClientSettings, LocalAuth: new (options: { clientId: string; dataPath: string }) => unknown): ClientOptions {
  return {
    authStrategy: new LocalAuth({ clientId: settings.clientId, dataPath: settings.sessionDir }) as ClientOptions['authStrategy'],
    puppeteer: { executablePath: settings.chromiumPath, headless: true, args: CHROMIUM_ARGS },
    // WhatsApp Web's page is cached next to the session, not in the working directory.
    webVersionCache: { type: 'local', path: path.join(settings.sessionDir, 'web-cache') },
  };
}

/**
 * The real client. whatsapp-web.js (and puppeteer under it) is loaded only when the channel is on; puppeteer never
 * downloads a browser (package.json's `puppeteer.skipDownload`), it launches `CHROMIUM_PATH`.
 */
export const createWwebjsClient: ClientFactory = async (settings) => {
  const { default: wwebjs } = await import('whatsapp-web.js');
  return new wwebjs.Client(clientOptions(settings, wwebjs.LocalAuth)) as unknown as WhatsAppWebClient;
};
