/**
 * The latest successful answer of each `call` endpoint, kept so that the studio's preview can answer a call step the
 * way the business's API really answers when the editor wrote no sample (issue 16). Only the body is kept, never the
 * parameters (the customer's values), and masked: every string passes redactDeep (emails, IBANs, cards, phone numbers
 * become placeholders); an answer whose JSON is larger than MAX_RECORDED_BYTES is not kept. One row per endpoint in
 * `recorded_call_responses` (migration 0017), so every server process shares it.
 */
import type { Logger } from '../infra/logger.ts';
import { redactDeep } from '../infra/redact.ts';
import type { Db } from '../store/types.ts';
import type { CallRequest, CallResult } from './http-call.ts';

/** Largest masked answer kept, as JSON text in bytes (16 KiB: a sample, not an archive). */
export const MAX_RECORDED_BYTES = 16 * 1024;
/** An endpoint's answer is written at most once per this many milliseconds per process (busy endpoints, one row). */
export const RECORD_EVERY_MS = 60_000;

export interface RecordedResponse {
  data: unknown;
  recordedAt: Date;
}

/** A kept answer as editors see it in the studio: the endpoint, when, and its size as JSON text in bytes. */
export interface RecordedSummary extends RecordedResponse {
  endpoint: string;
  bytes: number;
}

export class RecordedResponses {
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly db: Db, private readonly options: { logger?: Logger; now?: () => number } = {}) {}

  /** Keeps `data` as `endpoint`'s latest answer, masked; false when it is too large or was kept moments ago. */
  async record(endpoint: string, data: unknown): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    const last = this.lastWrite.get(endpoint);
    if (last !== undefined && now - last < RECORD_EVERY_MS) return false;
    const json = JSON.stringify(redactDeep(data, 32) ?? null);
    if (Buffer.byteLength(json) > MAX_RECORDED_BYTES) return false;
    this.lastWrite.set(endpoint, now);
    await this.db.query(
      `INSERT INTO recorded_call_responses (endpoint, data, recorded_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (endpoint) DO UPDATE SET data = EXCLUDED.data, recorded_at = EXCLUDED.recorded_at`,
      [endpoint, json],
    );
    return true;
  }

  /** The kept answer of `endpoint`, if any. */
  async get(endpoint: string): Promise<RecordedResponse | undefined> {
    const rows = await this.db.query<{ data: unknown; recorded_at: Date | string }>(
      'SELECT data, recorded_at FROM recorded_call_responses WHERE endpoint = $1', [endpoint],
    );
    const row = rows.rows[0];
    return row ? { data: row.data, recordedAt: new Date(row.recorded_at) } : undefined;
  }

  /** Every kept answer, by endpoint name. */
  async list(): Promise<RecordedSummary[]> {
    const rows = await this.db.query<{ endpoint: string; data: unknown; recorded_at: Date | string }>(
      'SELECT endpoint, data, recorded_at FROM recorded_call_responses ORDER BY endpoint',
    );
    return rows.rows.map((row) => ({ endpoint: row.endpoint, data: row.data, recordedAt: new Date(row.recorded_at), bytes: Buffer.byteLength(JSON.stringify(row.data)) }));
  }

  /**
   * Forgets the kept answer of `endpoint` (of every endpoint without one); returns how many were kept. The next real
   * answer is recorded again, in this process at once (others within RECORD_EVERY_MS).
   */
  async clear(endpoint?: string): Promise<number> {
    const result = endpoint === undefined
      ? await this.db.query('DELETE FROM recorded_call_responses')
      : await this.db.query('DELETE FROM recorded_call_responses WHERE endpoint = $1', [endpoint]);
    if (endpoint === undefined) this.lastWrite.clear();
    else this.lastWrite.delete(endpoint);
    return result.rowCount ?? 0;
  }

  /**
   * A caller that records every successful answer of `call` (of the endpoints `keeps` allows), in the background: the
   * turn never waits for the write, nor fails with it (a failed write is logged with the endpoint's name only).
   */
  recording(call: (request: CallRequest) => Promise<CallResult>, keeps: (endpoint: string) => boolean = () => true): (request: CallRequest) => Promise<CallResult> {
    return async (request) => {
      const result = await call(request);
      if (result.ok && keeps(request.endpoint)) {
        const write = this.record(request.endpoint, result.data).then(
          () => undefined,
          (error: unknown) => this.options.logger?.warn({ endpoint: request.endpoint, code: (error as { code?: unknown }).code }, 'a call\'s answer could not be recorded'),
        );
        this.pending.add(write);
        void write.finally(() => this.pending.delete(write));
      }
      return result;
    };
  }

  /** Waits for the writes under way (before the database closes). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
