import type { Redis } from 'ioredis';
import type { AgentIdentity } from '../handoff/desk.ts';

/** How long a viewer is kept without a sign of life (a socket that died without closing). */
const VIEWER_TTL_SECONDS = 2 * 60 * 60;

/**
 * Who is looking at which handoff, per agent socket, in Redis so every server process sees every viewer. Nothing
 * about it is stored in the database.
 */
export class ViewerRegistry {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** The socket `connection` now views `handoffId` (null: none); returns the handoffs whose viewers changed. */
  async view(connection: string, agent: AgentIdentity, previous: string | null, handoffId: string | null): Promise<string[]> {
    if (previous === handoffId) return [];
    const changed: string[] = [];
    if (previous) {
      await this.redis.hdel(this.key(previous), connection);
      changed.push(previous);
    }
    if (handoffId) {
      await this.redis.multi().hset(this.key(handoffId), connection, JSON.stringify({ id: agent.id, name: agent.name })).expire(this.key(handoffId), VIEWER_TTL_SECONDS).exec();
      changed.push(handoffId);
    }
    return changed;
  }

  /** The agents viewing the handoff, each once. */
  async viewers(handoffId: string): Promise<AgentIdentity[]> {
    const all = await this.redis.hvals(this.key(handoffId));
    const byId = new Map<string, AgentIdentity>();
    for (const raw of all) {
      try {
        const agent = JSON.parse(raw) as AgentIdentity;
        byId.set(agent.id, { id: agent.id, name: agent.name });
      } catch {
        // a value that is not ours: ignore it
      }
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private key(handoffId: string): string {
    return `${this.prefix}:viewers:${handoffId}`;
  }
}
