import { PassThrough } from 'node:stream';
import type { WhatsAppWebOverrides } from '../../../adapters/whatsapp-web/index.ts';
import { hashToken } from '../../../src/handoff/agents.ts';
import type { createTestDatabase } from '../../support/postgres.ts';
import type { Phone } from './stand-in-client.ts';

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export const ADMIN = { id: 'root', token: 'root-token-0123456789abcdef' };
export const AGENT = { id: 'ana', token: 'ana-token-0123456789abcdef' };
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

let seq = 0;
/** A fresh customer chat per test. */
export const chat = () => `4917${String(process.pid % 10000).padStart(4, '0')}${String(++seq).padStart(4, '0')}@c.us`;

/** A WhatsApp Web app's settings: its own database and queue prefix, two agents (one an admin), 3 attempts per reply. */
export function appEnv(database: TestDatabase, prefix: string, clientId: string): Record<string, string> {
  return {
    WHATSAPP_WEB: '1',
    // Any existing file passes the start-up check; the stand-in client never launches it.
    CHROMIUM_PATH: process.execPath,
    WHATSAPP_WEB_CLIENT_ID: clientId,
    DATABASE_URL: database.url,
    HANDOFF_QUEUE_PREFIX: prefix,
    ADMIN_TOKEN,
    OUTBOX_MAX_ATTEMPTS: '3',
    FLOWS_WATCH: 'false',
    KB_WATCH: 'false',
    LOG_LEVEL: 'silent',
    AGENTS: JSON.stringify([
      { id: ADMIN.id, name: 'Root', queues: ['support'], admin: true, token: hashToken(ADMIN.token) },
      { id: AGENT.id, name: 'Ana', queues: ['support'], token: hashToken(AGENT.token) },
    ]),
  };
}

/** What the server prints on its terminal. */
export function terminal() {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { output, text: () => text };
}

/** The stand-in client, and timings short enough for tests. */
export const fast = (phone: Phone, output: NodeJS.WritableStream): WhatsAppWebOverrides => ({
  createClient: phone.factory, output, lockTtlMs: 1500, standbyPollMs: 100, backoffMs: () => 50,
});

export async function get(url: string, token?: string) {
  const response = await fetch(url, { redirect: 'manual', headers: token ? { authorization: `Bearer ${token}` } : {} });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, location: response.headers.get('location'), body: type.includes('json') ? await response.json() : await response.text() };
}

export async function post(url: string, token: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}
