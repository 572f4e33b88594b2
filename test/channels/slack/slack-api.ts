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

/** Slack's request signature headers for `body`. */
export function signed(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return until(check, Boolean, 'a condition', { timeoutMs }) as Promise<NonNullable<T>>;
}
