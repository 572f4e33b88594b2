import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signBody } from '../../../adapters/whatsapp-cloud/verify.ts';

export type FixtureName = 'text-message' | 'list-reply' | 'button-reply' | 'image-message' | 'statuses' | 'status-failed';

/** A fresh copy of one of Meta's webhook payloads in fixtures/. */
export function fixture(name: FixtureName): any {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'));
}

/** The fixture with its (first) message rewritten: sender, message id, and the fields given. */
export function inbound(name: FixtureName, from: string, id: string, patch: Record<string, unknown> = {}): any {
  const body = fixture(name);
  const value = body.entry[0].changes[0].value;
  value.contacts[0].wa_id = from;
  value.messages = [{ ...value.messages[0], from, id, ...patch }];
  return body;
}

/** A status update of one outbound message (wamid). */
export function status(wamid: string, state: string, recipient: string, errors?: unknown[]): any {
  const body = fixture('statuses');
  const value = body.entry[0].changes[0].value;
  value.statuses = [{ id: wamid, status: state, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient, ...(errors ? { errors } : {}) }];
  return body;
}

/** Posts a body to the webhook signed with `secret`, as Meta does. */
export async function postSigned(url: string, body: unknown, secret: string, signature?: string): Promise<{ status: number; text: string }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? signBody(raw, secret) },
    body: raw,
  });
  return { status: response.status, text: await response.text() };
}
