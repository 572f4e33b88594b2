import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

/** One activity the bot sent to the channel. */
export interface CaughtActivity {
  path: string;
  conversationId: string;
  authorization: string | undefined;
  body: any;
}

/**
 * A local Bot Framework channel service (what `serviceUrl` points at): it catches the activities the bot sends
 * (`POST /v3/conversations/{id}/activities[/{activityId}]`) and answers with `status()`.
 */
export class FakeConnector {
  readonly activities: CaughtActivity[] = [];
  /** The status the next sends get; 200 answers with a new activity id. */
  status = 200;
  attempts = 0;
  /** Takes the sends and never answers them, as a channel service that hangs. */
  hang = false;
  /** Sends the bot gave up on (closed the connection) before an answer came. */
  abandoned = 0;
  private server: Server | undefined;
  url = '';
  private counter = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end();
          return;
        }
        this.attempts++;
        if (this.hang) {
          res.on('close', () => {
            if (!res.writableEnded) this.abandoned++;
          });
          return;
        }
        if (this.status !== 200) {
          res.writeHead(this.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ServiceError', message: 'failing on purpose' } }));
          return;
        }
        this.activities.push({ path: req.url!, conversationId: decodeURIComponent(match[1]!), authorization: req.headers.authorization, body: JSON.parse(raw) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${++this.counter}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  messages(conversationId: string): any[] {
    return this.activities.filter((a) => a.conversationId === conversationId && a.body.type === 'message').map((a) => a.body);
  }

  texts(conversationId: string): string[] {
    return this.messages(conversationId).map((m) => m.text);
  }

  /** Waits until `predicate` holds for the caught activities. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out; caught: ${JSON.stringify(this.activities.map((a) => a.body.text ?? a.body.name))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** A fixture with a fresh conversation, activity id and serviceUrl. */
export function activity(name: string, overrides: { conversationId: string; id?: string; serviceUrl: string } & Record<string, unknown>): any {
  const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'));
  const { conversationId, ...rest } = overrides;
  return { ...fixture, conversation: { ...fixture.conversation, id: conversationId }, ...rest };
}

export async function postActivity(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}
