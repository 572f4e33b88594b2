import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A send asked of the server holding the number, and its answer. */
interface SendRequest {
  id: string;
  replyTo: string;
  chatId: string;
  text: string;
}
type SendAnswer = { id: string; ok: true; externalId?: string } | { id: string; ok: false; error: string };

/**
 * Lets every server send through the one that holds the number's connection: a server without the connection
 * publishes the send on Redis, the holder performs it and publishes the outcome back. A send nobody holds (or
 * nobody answers in time) throws, so the outbox retries it with backoff as any other failed send.
 */
export class SendRelay {
  private readonly pending = new Map<string, (answer: SendAnswer) => void>();
  private readonly replyChannel: string;
  private readonly requestChannel: string;
  private serving: ((chatId: string, text: string) => Promise<string | undefined>) | undefined;
  private ready: Promise<unknown>;

  constructor(private readonly publisher: Redis, private readonly subscriber: Redis, key: string, private readonly timeoutMs = 30_000) {
    this.requestChannel = `${key}:send`;
    this.replyChannel = `${key}:sent:${randomUUID()}`;
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.replyChannel) this.answered(raw);
      else if (channel === this.requestChannel) void this.perform(raw);
    });
    this.ready = subscriber.subscribe(this.replyChannel);
  }

  /** While this server holds the number: performs the sends other servers ask for. */
  async serve(send: (chatId: string, text: string) => Promise<string | undefined>): Promise<void> {
    this.serving = send;
    await this.subscriber.subscribe(this.requestChannel);
  }

  async stopServing(): Promise<void> {
    this.serving = undefined;
    await this.subscriber.unsubscribe(this.requestChannel).catch(() => {});
  }

  /** Sends through the holder; resolves with the sent message's id. */
  async send(chatId: string, text: string): Promise<string | undefined> {
    await this.ready;
    const request: SendRequest = { id: randomUUID(), replyTo: this.replyChannel, chatId, text };
    const answer = new Promise<SendAnswer>((resolve) => this.pending.set(request.id, resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendAnswer>((resolve) => {
      timer = setTimeout(() => resolve({ id: request.id, ok: false, error: 'the server holding the WhatsApp Web number did not answer' }), this.timeoutMs);
    });
    try {
      const listeners = await this.publisher.publish(this.requestChannel, JSON.stringify(request));
      if (listeners === 0) throw new Error('WhatsApp Web is not connected on any server');
      const result = await Promise.race([answer, timeout]);
      if (!result.ok) throw new Error(result.error);
      return result.externalId;
    } finally {
      clearTimeout(timer);
      this.pending.delete(request.id);
    }
  }

  async close(): Promise<void> {
    this.serving = undefined;
    this.subscriber.disconnect();
  }

  private answered(raw: string): void {
    try {
      const answer = JSON.parse(raw) as SendAnswer;
      this.pending.get(answer.id)?.(answer);
    } catch {
      // Not ours to read.
    }
  }

  private async perform(raw: string): Promise<void> {
    let request: SendRequest;
    try {
      request = JSON.parse(raw) as SendRequest;
    } catch {
      return;
    }
    const serve = this.serving;
    if (!serve || typeof request.chatId !== 'string' || typeof request.text !== 'string') return;
    let answer: SendAnswer;
    try {
      const externalId = await serve(request.chatId, request.text);
      answer = externalId ? { id: request.id, ok: true, externalId } : { id: request.id, ok: true };
    } catch (error) {
      answer = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    await this.publisher.publish(request.replyTo, JSON.stringify(answer)).catch(() => {});
  }
}
