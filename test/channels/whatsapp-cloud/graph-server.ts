import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '../../support/poll.ts';

export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: any;
}

/** An answer, `hang` (take the request and never answer it), or undefined for the default: accepted. */
export type GraphResponder = (request: GraphRequest, index: number) => { status: number; body: unknown } | 'hang' | undefined;

/**
 * A local stand-in for the Graph API's `/{phone_number_id}/messages`: records every request, and answers as
 * `respond` says (default: accepted, with a fresh wamid).
 */
export class GraphServer {
  readonly requests: GraphRequest[] = [];
  /** Requests that were accepted (answered 200), in order. */
  readonly accepted: GraphRequest[] = [];
  respond: GraphResponder = () => undefined;
  /** Hanging requests the client gave up on (closed the connection) before an answer. */
  abandoned = 0;
  private server: Server | undefined;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: GraphRequest = {
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        };
        this.requests.push(request);
        const answer = this.respond(request, this.requests.length - 1);
        if (answer === 'hang') {
          res.on('close', () => {
            if (!res.writableEnded) this.abandoned++;
          });
          return;
        }
        if (answer) {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
          return;
        }
        this.accepted.push(request);
        const wamid = `wamid.TEST${String(++this.counter).padStart(6, '0')}`;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: request.body.to, wa_id: request.body.to }], messages: [{ id: wamid }] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v21.0`;
    return this;
  }

  /** The last wamid handed out. */
  get lastWamid(): string {
    return `wamid.TEST${String(this.counter).padStart(6, '0')}`;
  }

  /** Accepted requests to one customer. */
  to(waId: string): GraphRequest[] {
    return this.accepted.filter((request) => request.body.to === waId);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export const graphError = (status: number, code: number, message: string, details?: string) => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'AbCdEf' } },
});

export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return until(check, Boolean, 'a condition', { timeoutMs }) as Promise<NonNullable<T>>;
}
