import type { Redis } from 'ioredis';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { InboundMessage } from '../../src/core/message.ts';
import type { Logger } from '../../src/infra/logger.ts';
import type { ClientFactory, ClientSettings, WhatsAppWebClient, WhatsAppWebMessage } from './client.ts';
import { RedisLease } from './lease.ts';
import { ackStatus, normalizeMessage, type AckStatus } from './normalize.ts';
import { SendRelay } from './relay.ts';
import { printQr } from './terminal-qr.ts';

export type ConnectorState = 'off' | 'standby' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'reconnecting';

/** What an admin sees of the connection (GET /admin/whatsapp-web), whichever server they ask. */
export interface ConnectorStatus {
  clientId: string;
  state: ConnectorState;
  /** The QR code's text while the account waits to be linked. */
  qr?: string;
  /** The connected account's number, once ready. */
  connectedAs?: string;
  /** When this state began (ISO). */
  since: string;
  /** Whether this server holds the number's connection or another one does. */
  holder: 'this server' | 'another server' | 'none';
}

export interface ConnectorOptions {
  settings: ClientSettings;
  createClient: ClientFactory;
  redis: Redis;
  /** A connection of its own for Redis pub/sub: servers without the number send through the one holding it. */
  subscriber?: Redis;
  /** Records a delivery status on the outbound message with this WhatsApp message id; false when none has it (yet). */
  recordAck: (externalId: string, status: AckStatus, error?: string) => Promise<boolean>;
  logger: Logger;
  groups: boolean;
  /** Where the QR code is printed for whoever started the server. Default: stdout. */
  output?: NodeJS.WritableStream;
  /** How long the number's lock lasts without renewal; another server takes over after that. Default 30 s. */
  lockTtlMs?: number;
  /** How often a server that does not hold the lock tries to take it. Default 5 s. */
  standbyPollMs?: number;
  /** Delay before reconnect n (1-based). Default 2 s doubling, at most 2 min. */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(2000 * 2 ** (attempt - 1), 120_000);

/**
 * One WhatsApp Web connection per phone number, whatever the number of servers: the server that holds the number's
 * Redis lock runs the client (a browser session), the others stand by and take over when the lock lapses or is
 * released. Incoming messages go to the inbox; replies go out through `sendText`; acks become delivery statuses.
 */
export class WhatsAppWebConnector {
  private client: WhatsAppWebClient | undefined;
  private state: ConnectorState = 'off';
  private since = new Date();
  private qr: string | undefined;
  private connectedAs: string | undefined;
  private holding = false;
  private stopped = true;
  private reconnects = 0;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Messages are handed to the inbox one after another, in the order WhatsApp delivered them. */
  private received: Promise<void> = Promise.resolve();
  private inbox: InboxPort | undefined;
  private readonly lease: RedisLease;
  private readonly relay: SendRelay | undefined;
  private readonly statusKey: string;
  private readonly lockTtlMs: number;
  private readonly log: Logger;

  constructor(private readonly options: ConnectorOptions) {
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    const key = `parley:whatsapp-web:${options.settings.clientId}`;
    this.lease = new RedisLease(options.redis, `${key}:lock`, this.lockTtlMs);
    this.statusKey = `${key}:status`;
    this.relay = options.subscriber ? new SendRelay(options.redis, options.subscriber, key) : undefined;
    this.log = options.logger.child({ channel: 'whatsapp-web', clientId: options.settings.clientId });
  }

  /** Starts taking part: takes the number's lock (or stands by) and connects. Does not wait for the connection. */
  start(inbox: InboxPort): void {
    if (!this.stopped) return;
    this.inbox = inbox;
    this.stopped = false;
    this.setState('standby');
    void this.tick();
  }

  /** Disconnects and releases the number for another server. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.reconnectTimer);
    await this.dropClient();
    if (this.holding) {
      this.holding = false;
      await this.relay?.stopServing();
      await this.options.redis.del(this.statusKey).catch(() => {});
      await this.lease.release().catch(() => {});
    }
    await this.relay?.close();
    this.state = 'off';
    await this.received;
  }

  /**
   * Sends a text to a chat, here when this server holds the number, else through the server that does. Throws (for
   * the outbox to retry) when the number is not connected.
   */
  async sendText(chatId: string, text: string): Promise<string | undefined> {
    if (this.holding || !this.relay) return this.sendHere(chatId, text);
    return this.relay.send(chatId, text);
  }

  private async sendHere(chatId: string, text: string): Promise<string | undefined> {
    const client = this.client;
    if (!client || this.state !== 'ready') {
      throw new Error(`WhatsApp Web is not connected (${this.holding ? this.state : 'another server holds the number'})`);
    }
    const sent = await client.sendMessage(chatId, text);
    return sent?.id?._serialized;
  }

  /** This server's view when it holds the number; otherwise what the holder published. */
  async status(): Promise<ConnectorStatus> {
    if (this.holding || this.stopped) return this.localStatus();
    const raw = await this.options.redis.get(this.statusKey).catch(() => null);
    if (!raw) return { ...this.localStatus(), holder: 'none' };
    return { ...(JSON.parse(raw) as ConnectorStatus), holder: 'another server' };
  }

  private localStatus(): ConnectorStatus {
    return {
      clientId: this.options.settings.clientId,
      state: this.state,
      ...(this.qr && this.state === 'qr' ? { qr: this.qr } : {}),
      ...(this.connectedAs && this.state === 'ready' ? { connectedAs: this.connectedAs } : {}),
      since: this.since.toISOString(),
      holder: this.holding ? 'this server' : 'none',
    };
  }

  private setState(state: ConnectorState): void {
    if (state !== this.state) this.since = new Date();
    this.state = state;
    if (this.holding) void this.publish();
  }

  private async publish(): Promise<void> {
    await this.options.redis.set(this.statusKey, JSON.stringify(this.localStatus()), 'PX', this.lockTtlMs).catch(() => {});
  }

  /** Holds on to the lock (renewing it), or tries to take it; then comes back, until stopped. */
  private async tick(): Promise<void> {
    try {
      if (this.holding) {
        if (await this.lease.renew()) await this.publish();
        else {
          // Another server has the number now (this one stalled past the lock's lifetime): two browsers must not run.
          this.log.warn('lost the WhatsApp Web lock; disconnecting');
          this.holding = false;
          await this.relay?.stopServing();
          await this.dropClient();
          this.setState('standby');
        }
      } else if (await this.lease.acquire()) {
        this.holding = true;
        this.log.info('holding the WhatsApp Web number; connecting');
        await this.relay?.serve((chatId, text) => this.sendHere(chatId, text));
        await this.connect();
      }
    } catch (error) {
      this.log.warn({ err: String(error) }, 'WhatsApp Web lock check failed');
    }
    if (this.stopped) return;
    const delay = this.holding ? Math.max(100, Math.floor(this.lockTtlMs / 3)) : (this.options.standbyPollMs ?? 5_000);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.holding) return;
    this.setState('starting');
    let client: WhatsAppWebClient;
    try {
      client = await this.options.createClient(this.options.settings);
    } catch (error) {
      this.reconnectLater(`could not create the client: ${String(error)}`);
      return;
    }
    this.client = client;
    client.on('qr', (qr: string) => {
      this.qr = qr;
      this.setState('qr');
      void printQr(qr, this.options.settings.clientId, this.options.output ?? process.stdout).catch(() => {});
    });
    client.on('authenticated', () => this.setState('authenticated'));
    client.on('auth_failure', () => this.reconnectLater('authentication failed'));
    client.on('ready', () => {
      this.reconnects = 0;
      this.qr = undefined;
      this.connectedAs = client.info?.wid?.user;
      this.setState('ready');
      this.log.info('WhatsApp Web connected');
    });
    client.on('disconnected', (reason: unknown) => this.reconnectLater(`disconnected (${String(reason)})`));
    client.on('message', (message: WhatsAppWebMessage) => this.onMessage(message));
    client.on('message_ack', (message: WhatsAppWebMessage, ack: number) => void this.onAck(message, ack));
    client.initialize().catch((error: unknown) => {
      if (this.client === client) this.reconnectLater(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Drops the client and connects again after a backoff; one reconnect at a time. */
  private reconnectLater(why: string): void {
    if (this.stopped || !this.holding || this.reconnectTimer) return;
    this.reconnects++;
    const delay = (this.options.backoffMs ?? defaultBackoff)(this.reconnects);
    this.log.warn({ why, attempt: this.reconnects, delayMs: delay }, 'WhatsApp Web connection lost; reconnecting');
    this.setState('reconnecting');
    void this.dropClient();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners();
    // whatsapp-web.js destroys the browser itself after some disconnects; a second destroy must not matter.
    await Promise.race([client.destroy().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  }

  private onMessage(message: WhatsAppWebMessage): void {
    const inbound = normalizeMessage(message, { clientId: this.options.settings.clientId, groups: this.options.groups, now: new Date() });
    if (typeof inbound === 'string' || !this.inbox) {
      this.log.debug({ ignored: inbound }, 'WhatsApp Web message ignored');
      return;
    }
    this.received = this.received.then(() => this.accept(inbound));
  }

  /**
   * Resolves once the inbox stored the message (or found it a duplicate); its turn goes on in the background.
   * WhatsApp Web never delivers an event again, so a message the store could not take is tried again a few times.
   */
  private async accept(message: InboundMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store(message);
      if (stored) return;
      if (this.stopped || attempt >= 5) {
        this.log.error({ attempts: attempt }, 'WhatsApp Web message lost: it could not be stored');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** (attempt - 1), 8000)));
    }
  }

  /** True once the inbox holds the message; false when it failed before storing it. */
  private store(message: InboundMessage): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let accepted = false;
      this.inbox!.receive(message, { onAccepted: () => { accepted = true; resolve(true); } }).then(
        () => resolve(true),
        (error: unknown) => {
          this.log.error({ err: error instanceof Error ? error.message : String(error), accepted }, 'WhatsApp Web message turn failed');
          resolve(accepted);
        },
      );
    });
  }

  private async onAck(message: WhatsAppWebMessage, ack: number): Promise<void> {
    const status = ackStatus(ack);
    const id = message?.id?._serialized;
    if (!status || !id) return;
    const error = status === 'failed' ? 'WhatsApp reported an error delivering the message' : undefined;
    try {
      // The first ack can come before the outbox has recorded the message as sent with this id.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await this.options.recordAck(id, status, error)) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } catch (err) {
      this.log.warn({ err: String(err) }, 'could not record a WhatsApp Web ack');
    }
  }
}
