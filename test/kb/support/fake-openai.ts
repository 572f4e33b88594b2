/**
 * A local OpenAI-compatible server for tests: /v1/embeddings and /v1/chat/completions. It records every request
 * so tests can check what Parley sends. Embeddings are hashed bags of words (similar texts get similar vectors);
 * chat replies come from a function the test sets.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface FakeOpenAi {
  baseURL: string;
  requests: RecordedRequest[];
  /** What the "model" replies, given the messages it was sent. */
  reply: (messages: ChatMessage[]) => string;
  /** Answer embedding / chat requests with this HTTP status instead (400: the SDK does not retry). */
  failWith: { embeddings?: number; chat?: number };
  /** How texts are embedded (default: fakeEmbedding, a bag of words). */
  embed: (text: string) => number[];
  /** Wait this long (ms) before answering embedding / chat requests (a slow server). */
  delayMs: { embeddings?: number; chat?: number };
  embeddingRequests(): RecordedRequest[];
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export const DIMENSIONS = 64;

/** A deterministic bag-of-words embedding: each lower-cased word adds to one dimension. */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % DIMENSIONS]! += 1;
  }
  return v;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const fake: FakeOpenAi = {
    baseURL: '',
    requests: [],
    reply: () => 'NOT_SURE',
    embed: fakeEmbedding,
    failWith: {},
    delayMs: {},
    embeddingRequests: () => fake.requests.filter((r) => r.path.endsWith('/embeddings')),
    chatRequests: () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const path = req.url ?? '';
      fake.requests.push({ path, body });
      const delay = path.endsWith('/embeddings') ? fake.delayMs.embeddings : fake.delayMs.chat;
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      if (res.destroyed) return;
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== 'Bearer test-key') {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { message: 'bad key' } }));
        return;
      }
      const failure = path.endsWith('/embeddings') ? fake.failWith.embeddings : fake.failWith.chat;
      if (failure) {
        res.statusCode = failure;
        res.end(JSON.stringify({ error: { message: 'failing on purpose' } }));
        return;
      }
      if (path.endsWith('/embeddings')) {
        const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
        res.end(JSON.stringify({
          object: 'list',
          model: body.model,
          // `dimensions`, as text-embedding-3 models do: the first ones (the caller normalizes).
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: fake.embed(text).slice(0, typeof body.dimensions === 'number' ? body.dimensions : undefined) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }));
        return;
      }
      if (path.endsWith('/chat/completions')) {
        const content = fake.reply(body.messages as ChatMessage[]);
        res.end(JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
