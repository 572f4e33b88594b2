import type { TurnReads, TurnWrite } from '../store/types.ts';

/**
 * One turn's unit of work, handed to every hook: what the turn's first read loaded for the parts (`reads`), and the
 * rows they add to its commit (`writes`), which the store writes with the turn's state and replies, or not at all.
 * A part reads here instead of querying, and writes here instead of writing on its own.
 */
export class TurnUnit {
  readonly writes: TurnWrite[] = [];
  private readonly facts: Map<string, unknown>;

  constructor(readonly reads: TurnReads) {
    this.facts = new Map(Object.entries(reads.facts));
  }

  /** A conversation fact as this turn left it so far (see conversation_facts). */
  fact(key: string): unknown {
    return this.facts.get(key);
  }

  /** Sets a conversation fact for later turns (null removes it); this turn's later hooks see it at once. */
  setFact(key: string, value: unknown, ttlSeconds?: number): void {
    this.facts.set(key, value);
    this.writes.push({ kind: 'fact', key, value, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });
  }

  write(write: TurnWrite): void {
    this.writes.push(write);
  }
}
