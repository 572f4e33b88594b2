import type { Redis } from 'ioredis';
import type { KnowledgeRecord } from './context.ts';

/** What the handoff triggers remember about a conversation between its turns. */
export interface TurnSignals {
  /** Folded text of the customer's last questions (see questionKey). */
  recent: string[];
  /** Frustration points of the last turns (anger, the same question again). */
  strikes: number[];
  /** How many times in a row the knowledge base declined. */
  kbDeclines: number;
  /** What the knowledge base returned lately, for the handoff context. */
  knowledge: KnowledgeRecord[];
}

export const emptySignals = (): TurnSignals => ({ recent: [], strikes: [], kbDeclines: 0, knowledge: [] });

/**
 * Keeps TurnSignals in Redis (so any process running the conversation's next turn sees them), for a day after the
 * last turn. Losing them only delays a trigger, so a Redis error reads as no signals.
 */
export class SignalStore {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlSeconds = 24 * 3600) {}

  private key(conversationId: string): string {
    return `${this.prefix}:handoff-signals:${conversationId}`;
  }

  async get(conversationId: string): Promise<TurnSignals> {
    const raw = await this.redis.get(this.key(conversationId)).catch(() => null);
    if (!raw) return emptySignals();
    try {
      return { ...emptySignals(), ...(JSON.parse(raw) as Partial<TurnSignals>) };
    } catch {
      return emptySignals();
    }
  }

  async set(conversationId: string, signals: TurnSignals): Promise<void> {
    await this.redis.set(this.key(conversationId), JSON.stringify(signals), 'EX', this.ttlSeconds).catch(() => {});
  }

  async clear(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId)).catch(() => {});
  }
}
