import { TURN_CUSTOMER, type Queryable, type TurnWrite } from '../store/types.ts';

export const PURPOSES = ['service', 'marketing', 'notifications'] as const;
export type Purpose = (typeof PURPOSES)[number];
export type ConsentState = 'granted' | 'withdrawn';
/** How consent was given or withdrawn. */
/** `keyword`: a carrier's word (STOP); `words`: other words the understanding step took for it. */
export type ConsentHow = 'keyword' | 'words' | 'button' | 'api' | 'agent' | 'implied-by-contact';

export interface ConsentChange {
  customerId: string;
  channel: string;
  purpose: Purpose;
  state: ConsentState;
  how: ConsentHow;
  /** The customer's exact words, or the consent text the business showed (API, agent). */
  said?: string | null;
  /** What Parley answered or showed (the confirmation). */
  shown?: string | null;
  /** Who recorded it when not the customer in conversation: an agent's id, an API key's name. */
  actor?: string | null;
  /** The customer's message it came with. */
  messageId?: string | null;
}

export interface ConsentEvent extends Required<Omit<ConsentChange, 'customerId'>> {
  id: string;
  at: Date;
}

interface EventRow {
  id: string;
  channel: string;
  purpose: Purpose;
  state: ConsentState;
  how: ConsentHow;
  said: string | null;
  shown: string | null;
  actor: string | null;
  message_id: string | null;
  at: Date;
}

const toEvent = (row: EventRow): ConsentEvent => ({
  id: String(row.id), channel: row.channel, purpose: row.purpose, state: row.state, how: row.how, said: row.said, shown: row.shown,
  actor: row.actor, messageId: row.message_id === null ? null : String(row.message_id), at: row.at,
});

export interface Refusal {
  customerId: string;
  channel: string | null;
  purpose: Purpose;
  /** What wanted to send: `agent`, `handoff`, `notify`, `link`. */
  source: string;
  reason: string;
  messageId?: string | null;
}

/**
 * The consent ledger: per customer, channel and purpose, every grant and withdrawal, append-only, with when, how and
 * the exact words; the current state is the latest entry. Refusals (a message Parley did not send for want of
 * consent) are kept beside it.
 */
export class ConsentLedger {
  constructor(private readonly db: Queryable) {}

  /**
   * The same entry as `record` writes, as a row of a turn's commit (src/inbox/turn-unit.ts), for the conversation's
   * customer as the commit finds it.
   */
  recordInTurn(change: Omit<ConsentChange, 'customerId'>): TurnWrite {
    return {
      kind: 'insert', table: 'consent_events',
      row: {
        customer_id: TURN_CUSTOMER, channel: change.channel, purpose: change.purpose, state: change.state, how: change.how,
        said: change.said ?? null, shown: change.shown ?? null, actor: change.actor ?? null, message_id: change.messageId ?? null,
      },
      casts: { message_id: 'bigint' },
    };
  }

  async record(change: ConsentChange, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO consent_events (customer_id, channel, purpose, state, how, said, shown, actor, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [change.customerId, change.channel, change.purpose, change.state, change.how, change.said ?? null, change.shown ?? null,
        change.actor ?? null, change.messageId ?? null],
    );
  }

  /** The latest entry per channel and purpose: the consent in force. */
  async current(customerId: string): Promise<ConsentEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT DISTINCT ON (channel, purpose) * FROM consent_events WHERE customer_id = $1 ORDER BY channel, purpose, id DESC`,
      [customerId],
    );
    return result.rows.map(toEvent);
  }

  async stateOf(customerId: string, channel: string, purpose: Purpose): Promise<ConsentState | null> {
    const result = await this.db.query<{ state: ConsentState }>(
      'SELECT state FROM consent_events WHERE customer_id = $1 AND channel = $2 AND purpose = $3 ORDER BY id DESC LIMIT 1',
      [customerId, channel, purpose],
    );
    return result.rows[0]?.state ?? null;
  }

  async isGranted(customerId: string, channel: string, purpose: Purpose): Promise<boolean> {
    return (await this.stateOf(customerId, channel, purpose)) === 'granted';
  }

  /** Whether any purpose on this channel is withdrawn now. */
  async hasWithdrawn(customerId: string, channel: string): Promise<boolean> {
    const result = await this.db.query(
      `SELECT 1 FROM (SELECT DISTINCT ON (purpose) state FROM consent_events WHERE customer_id = $1 AND channel = $2 ORDER BY purpose, id DESC) AS now
       WHERE state = 'withdrawn' LIMIT 1`,
      [customerId, channel],
    );
    return result.rowCount > 0;
  }

  /** Every entry, oldest first. */
  async history(customerId: string, limit = 500): Promise<ConsentEvent[]> {
    const result = await this.db.query<EventRow>('SELECT * FROM consent_events WHERE customer_id = $1 ORDER BY id LIMIT $2', [customerId, limit]);
    return result.rows.map(toEvent);
  }

  /** The purposes the customer's latest STOP on this channel took away (those granted just before it). */
  async lastStopped(customerId: string, channel: string): Promise<Purpose[]> {
    // One STOP writes one withdrawal per purpose, all carrying the customer's STOP message.
    const result = await this.db.query<{ purpose: Purpose; state: ConsentState }>(
      `WITH stop AS (
         SELECT min(id) AS first FROM consent_events WHERE customer_id = $1 AND channel = $2 AND state = 'withdrawn' AND how IN ('keyword', 'words', 'button')
         GROUP BY message_id ORDER BY max(id) DESC LIMIT 1)
       SELECT DISTINCT ON (purpose) purpose, state FROM consent_events, stop
       WHERE customer_id = $1 AND channel = $2 AND id < stop.first ORDER BY purpose, id DESC`,
      [customerId, channel],
    );
    return result.rows.filter((row) => row.state === 'granted').map((row) => row.purpose);
  }

  async refuse(refusal: Refusal, q: Queryable = this.db): Promise<void> {
    await q.query(
      'INSERT INTO consent_refusals (customer_id, channel, purpose, source, reason, message_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [refusal.customerId, refusal.channel, refusal.purpose, refusal.source, refusal.reason, refusal.messageId ?? null],
    );
  }

  async refusals(customerId: string, limit = 100): Promise<(Refusal & { at: Date })[]> {
    const result = await this.db.query<{ customer_id: string; channel: string | null; purpose: Purpose; source: string; reason: string; message_id: string | null; at: Date }>(
      'SELECT * FROM consent_refusals WHERE customer_id = $1 ORDER BY id DESC LIMIT $2',
      [customerId, limit],
    );
    return result.rows.map((r) => ({ customerId: r.customer_id, channel: r.channel, purpose: r.purpose, source: r.source, reason: r.reason,
      messageId: r.message_id === null ? null : String(r.message_id), at: r.at }));
  }
}

/** The reason a message is refused, as agents read it on the message. */
export function noConsentReason(purpose: Purpose, channel: string): string {
  return `no consent for ${purpose} on ${channel}`;
}
