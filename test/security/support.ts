import { hashPassword, hashToken } from '../../src/handoff/agents.ts';
import { ANA, BEN } from '../handoff/support.ts';

/** An admin agent besides Ana (support) and Ben (billing): she may erase customers from the privacy page. */
export const ADA = { id: 'ada', name: 'Ada', password: 'admin password for tests', token: 'ada-token-0123456789abcdef' };

/** AGENTS for startHandoffApp with Ada the admin added. Hashed once: scrypt is deliberately slow. */
export const AGENTS_WITH_ADMIN = JSON.stringify([
  { id: ANA.id, name: ANA.name, queues: ['support'], password: hashPassword(ANA.password), token: hashToken(ANA.token) },
  { id: BEN.id, name: BEN.name, queues: ['billing'], password: hashPassword(BEN.password), token: hashToken(BEN.token) },
  { id: ADA.id, name: ADA.name, queues: ['support'], admin: true, password: hashPassword(ADA.password), token: hashToken(ADA.token) },
]);

export interface Answer {
  status: number;
  retryAfter: string | null;
  json: any;
}

/** POST /agent/login, optionally as another client (X-Forwarded-For, believed with TRUST_PROXY=127.0.0.1). */
export async function signIn(url: string, body: unknown, from?: string): Promise<Answer & { cookie: string }> {
  const response = await fetch(`${url}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify(body),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json(), cookie };
}

/** Signs in and returns the session cookie (`parley_agent=…`). */
export async function sessionCookieOf(url: string, agent: { id: string; password: string }): Promise<string> {
  const answer = await signIn(url, { id: agent.id, password: agent.password });
  if (answer.status !== 200 || !answer.cookie) throw new Error(`sign-in answered ${answer.status}`);
  return answer.cookie;
}
