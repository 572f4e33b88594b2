import { EventEmitter } from 'node:events';
import type { ClientFactory, ClientSettings, WhatsAppWebClient, WhatsAppWebMessage } from '../../../adapters/whatsapp-web/client.ts';

/**
 * The WhatsApp account as the tests drive it: every client the connector creates is a stand-in for whatsapp-web.js's
 * Client (same events, same methods), with the browser below it replaced. A client shows a QR code until the phone
 * has linked it; after that the session is kept, and new clients connect without one.
 */
export class Phone {
  readonly clients: StandInClient[] = [];
  readonly settings: ClientSettings[] = [];
  /** Every message the account sent, across clients, in order. */
  readonly sent: { chatId: string; text: string; id: string }[] = [];
  linked = false;
  /** The next sendMessage calls that fail, as a browser error would. */
  failures = 0;
  number = '4915550001';
  private seq = 0;

  readonly factory: ClientFactory = (settings) => {
    const client = new StandInClient(this);
    this.clients.push(client);
    this.settings.push(settings);
    return client;
  };

  get current(): StandInClient | undefined {
    return this.clients.at(-1);
  }

  /** Scanning the QR code shown by the current client. */
  scan(): void {
    this.linked = true;
    this.current!.connect();
  }

  nextId(chatId: string): string {
    return `true_${chatId}_3EB0${(++this.seq).toString(16).toUpperCase().padStart(16, '0')}`;
  }

  sentTo(chatId: string): string[] {
    return this.sent.filter((m) => m.chatId === chatId).map((m) => m.text);
  }
}

export class StandInClient extends EventEmitter implements WhatsAppWebClient {
  info: { wid?: { user?: string } } | undefined;
  initialized = false;
  destroyed = false;
  private state: string | null = null;

  constructor(private readonly phone: Phone) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    setImmediate(() => {
      if (this.phone.linked) this.connect();
      else this.emit('qr', `2@${Math.random().toString(36).slice(2)},stand-in-qr-for-tests==`);
    });
  }

  connect(): void {
    this.emit('authenticated');
    this.info = { wid: { user: this.phone.number } };
    this.state = 'CONNECTED';
    this.emit('ready');
  }

  async sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }> {
    if (this.destroyed) throw new Error('Protocol error: Target closed');
    if (this.phone.failures > 0) {
      this.phone.failures--;
      throw new Error('Evaluation failed: Error: something went wrong in WhatsApp Web');
    }
    const id = this.phone.nextId(chatId);
    this.phone.sent.push({ chatId, text: content, id });
    return { id: { _serialized: id } };
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.state = null;
  }

  async getState(): Promise<string | null> {
    return this.state;
  }

  /** WhatsApp delivering a message to the account. */
  deliver(message: WhatsAppWebMessage): void {
    this.emit('message', message);
  }

  ack(id: string, ack: number): void {
    this.emit('message_ack', { id: { _serialized: id }, from: '', fromMe: true, type: 'chat', body: '' }, ack);
  }

  disconnect(reason = 'NAVIGATION'): void {
    this.state = null;
    this.emit('disconnected', reason);
  }
}

let seq = 0;
/** A message as whatsapp-web.js builds it from WhatsApp Web's model (only the fields Parley reads). */
export function incoming(from: string, body: string, extra: Partial<WhatsAppWebMessage> = {}): WhatsAppWebMessage {
  const id = `false_${from}_3A${Date.now().toString(16).toUpperCase()}${(++seq).toString(16).toUpperCase()}`;
  return { id: { _serialized: id }, from, fromMe: false, type: 'chat', body, timestamp: Math.floor(Date.now() / 1000), ...extra };
}
