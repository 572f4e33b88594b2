import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { verifyPassword, verifyToken, type Agent } from '../../src/handoff/agents.ts';

export const SESSION_COOKIE = 'parley_agent';

/** What an agent signs in with: their id and password, or their token. */
export type Credentials = { id: string; password: string } | { token: string };

/**
 * Console sessions, in Redis so any server process recognises them. Only a hash of the session id is stored, so
 * reading Redis gives no usable session. A configured agent token also works directly as a bearer token.
 */
export class AgentSessions {
  private readonly byId: Map<string, Agent>;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlMs: number, agents: readonly Agent[]) {
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

  private byToken(token: string): Agent | undefined {
    for (const agent of this.byId.values()) if (agent.token && verifyToken(token, agent.token)) return agent;
    return undefined;
  }

  private key(sessionId: string): string {
    return `${this.prefix}:agent-session:${createHash('sha256').update(sessionId).digest('hex')}`;
  }
}

/** The session cookie's value, or the bearer token, of a request. */
export function requestSecret(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
