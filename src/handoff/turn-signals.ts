import type { TurnUnit } from '../inbox/turn-unit.ts';
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

/** The conversation fact (src/inbox/turn-unit.ts) the signals are kept under. */
const SIGNALS_FACT = 'handoff.signals';

/**
 * Keeps TurnSignals as a conversation fact: read by the turn's first read with the conversation, written by the turn's
 * commit (so any process running the conversation's next turn sees them), for a day after the last turn.
 */
export class SignalStore {
  constructor(private readonly ttlSeconds = 24 * 3600) {}

  get(unit: TurnUnit): TurnSignals {
    const kept = unit.fact(SIGNALS_FACT);
    return kept && typeof kept === 'object' ? { ...emptySignals(), ...(kept as Partial<TurnSignals>) } : emptySignals();
  }

  set(unit: TurnUnit, signals: TurnSignals): void {
    unit.setFact(SIGNALS_FACT, signals, this.ttlSeconds);
  }

  clear(unit: TurnUnit): void {
    if (unit.fact(SIGNALS_FACT) !== undefined && unit.fact(SIGNALS_FACT) !== null) unit.setFact(SIGNALS_FACT, null);
  }
}
