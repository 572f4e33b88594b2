/**
 * Who may use the operator pages and endpoints (/admin/…): the holder of ADMIN_TOKEN (as a bearer token), or an
 * agent with `"admin": true` signed in to the console (session cookie or bearer). Routes decide what a refusal
 * looks like: a page sends the browser to the sign-in page, an API answers 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AgentSessions } from './agent-sessions.ts';

export type Admin = { kind: 'token' } | { kind: 'agent'; agentId: string; name: string };

export interface AdminAuthOptions {
  /** ADMIN_TOKEN; undefined when not configured. */
  token: string | undefined;
  /** The console's sessions; undefined when no agents are configured. */
  sessions?: AgentSessions;
}

export class AdminAuth {
  constructor(private readonly options: AdminAuthOptions) {}

  /** False when neither an admin token nor any agent could ever pass: admin routes then answer 404. */
  get enabled(): boolean {
    return this.options.token !== undefined || this.options.sessions !== undefined;
  }

  /** The admin making this request, or undefined. A wrong bearer value counts against the client's sign-in limits. */
  async resolve(request: Pick<FastifyRequest, 'headers' | 'ip'>): Promise<Admin | undefined> {
    const { token, sessions } = this.options;
    if (token && bearerMatches(request.headers.authorization, token)) return { kind: 'token' };
    const agent = await sessions?.ofRequest(request);
    return agent?.admin ? { kind: 'agent', agentId: agent.id, name: agent.name } : undefined;
  }
}

/** Constant-time comparison of the presented bearer token with the configured one. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
