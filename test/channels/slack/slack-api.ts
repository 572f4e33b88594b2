import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '../../support/poll.ts';

export interface SlackCall {
  method: string;
  authorization: string | undefined;
  args: Record<string, any>;
}

/** An answer, `hang` (take the request and never answer it), or undefined for the default `ok: true`. */
export type SlackResponder = (call: SlackCall, index: number) => { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | undefined;

/**
 * A local stand-in for the Slack Web API (what SLACK_API_URL points at): records every call, and answers as
 * `respond` says (default: `ok: true` with a fresh ts, as chat.postMessage and chat.update do).
 */
export class SlackApi {
  readonly calls: SlackCall[] = [];
  /** Calls answered `ok: true`, in order. */
  readonly accepted: SlackCall[] = [];
  respond: SlackResponder = () => undefined;
  /** Hanging calls the client gave up on (closed the connection) before an answer. */
  abandoned = 0;
  url = '';
  private server: Server | undefined;
  private ts = 1_800_000_000;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        const args: Record<string, any> = request.headers['content-type']?.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
        if (typeof args.blocks === 'string') args.blocks = JSON.parse(args.blocks);
        const call: SlackCall = { method, authorization: request.headers.authorization, args };
        this.calls.push(call);
        const answer = this.respond(call, this.calls.length - 1);
        if (answer === 'hang') {
          response.on('close', () => {
            if (!response.writableEnded) this.abandoned++;
          });
          return;
        }
        if (answer) {
          response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
          return;
        }
        this.accepted.push(call);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: args.channel, ts: args.ts ?? `${this.ts++}.000200` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  /** Messages posted (and accepted) in a channel, in order. */
  posts(channel: string): SlackCall[] {
    return this.accepted.filter((call) => call.method === 'chat.postMessage' && call.args.channel === channel);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface ChannelMessage { ts: string; thread_ts?: string; bot: boolean; text: string }

/**
 * One channel's history as Slack keeps it for the app, for SlackApi.respond: the app's posts (threads by
 * thread_ts), conversations.replies, and chat.delete, which refuses a message a person wrote (cant_delete_message).
 */
export class ChannelHistory {
  readonly messages = new Map<string, ChannelMessage>();
  private next = 1_800_000_000;

  constructor(readonly channel: string) {}

  /** Answers the calls about this channel; others get SlackApi's default. */
  readonly respond: SlackResponder = (call) => {
    const ok = (body: Record<string, unknown>) => ({ status: 200, body: { ok: true, ...body } });
    const fail = (error: string) => ({ status: 200, body: { ok: false, error } });
    if (call.args.channel !== this.channel) return undefined;
    if (call.method === 'chat.postMessage') {
      const ts = `${this.next++}.000100`;
      this.messages.set(ts, { ts, ...(call.args.thread_ts ? { thread_ts: call.args.thread_ts } : {}), bot: true, text: call.args.text });
      return ok({ channel: this.channel, ts });
    }
    if (call.method === 'conversations.replies') {
      const thread = [...this.messages.values()].filter((m) => m.ts === call.args.ts || m.thread_ts === call.args.ts);
      return thread.length === 0 ? fail('thread_not_found') : ok({ messages: thread, has_more: false });
    }
    if (call.method === 'chat.delete') {
      const message = this.messages.get(call.args.ts);
      if (!message) return fail('message_not_found');
      if (!message.bot) return fail('cant_delete_message');
      this.messages.delete(call.args.ts);
      return ok({ channel: this.channel, ts: call.args.ts });
    }
    return undefined;
  };

  /** The first message the app posted outside a thread (a handoff's message on the desk). */
  firstPost(): ChannelMessage | undefined {
    return [...this.messages.values()].find((m) => !m.thread_ts);
  }

  /** A reply a person wrote in a thread from their own Slack account. */
  personReply(threadTs: string, ts: string, text: string): void {
    this.messages.set(ts, { ts, thread_ts: threadTs, bot: false, text });
  }
}

/** Slack's request signature headers for `body`. */
export function signed(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return until(check, Boolean, 'a condition', { timeoutMs }) as Promise<NonNullable<T>>;
}
