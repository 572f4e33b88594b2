import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ParleyError } from '../../core/errors.ts';
import type { Agent } from '../../handoff/agents.ts';
import { verifyPassword, verifyToken } from '../../infra/secret-hash.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export const SESSION_COOKIE = 'parley_agent';

/** What an agent signs in with: their id and password, or their token. */
export type Credentials = { id: string; password: string } | { token: string };

/** What a request that presents an agent credential carries; `ip` is the client's address as Fastify believes it. */
export interface CredentialRequest {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/**
 * Console sessions, in Redis so any server process recognises them. Only a hash of the session id is stored, so
 * reading Redis gives no usable session. A configured agent token also works directly as a bearer token.
 */
export class AgentSessions {
  private readonly byId: Map<string, Agent>;

  /** With a throttle, bearer values are limited like passwords (per address), wherever they are presented. */
  constructor(
    private readonly redis: Redis, private readonly prefix: string, private readonly ttlMs: number, agents: readonly Agent[],
    private readonly throttle?: SignInThrottle,
  ) {
    this.byId = new Map(agents.map((agent) => [agent.id, agent]));
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  /** The agent these credentials belong to, or undefined. Takes about as long whether or not the id exists. */
  async check(credentials: Credentials): Promise<Agent | undefined> {
    if ('token' in credentials) return this.byToken(credentials.token);
    const agent = this.byId.get(credentials.id);
    // An unknown id still pays for one scrypt, so timing does not tell which ids exist.
    const hash = agent?.password ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const ok = await verifyPassword(credentials.password, hash);
    return ok && agent?.password ? agent : undefined;
  }

  /** Opens a session; returns its id (the cookie's value). */
  async open(agent: Agent): Promise<string> {
    const sessionId = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(sessionId), agent.id, 'PX', this.ttlMs);
    return sessionId;
  }

  async close(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }

  /** The agent of a session id or a bearer value (session id or agent token); undefined when neither is valid. */
  async resolve(secret: string | undefined): Promise<Agent | undefined> {
    if (!secret || secret.length > 512) return undefined;
    // With Redis down, sessions cannot be read, but agents with a token keep working.
    const agentId = await this.redis.get(this.key(secret)).catch(() => null);
    if (agentId) return this.byId.get(agentId);
    return this.byToken(secret);
  }

  /**
   * The agent a request is signed in as (session cookie, or a bearer session id or agent token), or undefined. A
   * bearer value is an attempt at the sign-in limits of the client's address: a wrong one counts as a failure, and
   * past the limit even a right one is refused with TOO_MANY_ATTEMPTS. A session cookie is not counted: its 256-bit
   * id is not guessable, and the signed-in agent keeps working while someone at their address guesses.
   */
  async ofRequest(request: CredentialRequest): Promise<Agent | undefined> {
    const bearer = bearerOf(request.headers);
    if (bearer === undefined || !this.throttle) return this.resolve(requestSecret(request.headers));
    const attempt = { address: request.ip };
    // With Redis down nothing can be counted: agents with a right token keep working (as they do without sessions),
    // a wrong value is refused as always, only uncounted until Redis is back.
    const waitMs = await this.throttle.admit(attempt).catch(() => undefined);
    if (waitMs === undefined) return this.resolve(bearer);
    if (waitMs > 0) throw tooManyAttempts(waitMs);
    const agent = await this.resolve(bearer);
    if (agent) await this.throttle.succeeded(attempt).catch(() => undefined);
    return agent;
  }

  private byToken(token: string): Agent | undefined {
    for (const agent of this.byId.values()) if (agent.token && verifyToken(token, agent.token)) return agent;
    return undefined;
  }

  private key(sessionId: string): string {
    return `${this.prefix}:agent-session:${createHash('sha256').update(sessionId).digest('hex')}`;
  }
}

/** Refused for too many failed attempts: the answer says when to come back (Retry-After, and in minutes). */
export function tooManyAttempts(waitMs: number): ParleyError {
  const minutes = Math.ceil(waitMs / 60_000);
  return new ParleyError('TOO_MANY_ATTEMPTS', `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
    retryAfterSeconds: Math.ceil(waitMs / 1000),
  });
}

/** The bearer value of a request, if it has an Authorization: Bearer header. */
function bearerOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  return typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
}

/** The session cookie's value, or the bearer token, of a request. */
export function requestSecret(headers: Record<string, string | string[] | undefined>): string | undefined {
  const bearer = bearerOf(headers);
  if (bearer !== undefined) return bearer;
  return sessionCookie(headers);
}

/** The agent session cookie's value, if the request carries one. */
export function sessionCookie(headers: Record<string, string | string[] | undefined>): string | undefined {
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined; // malformed percent-encoding: no session
    }
  }
  return undefined;
}
