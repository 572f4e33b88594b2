/**
 * Requests customers make in conversation ("delete my data", "export my data") for an admin to carry out
 * (table data_requests, migration 0007). A request names the customer by Parley's id only; erasing the customer
 * closes it and drops even that link (ON DELETE SET NULL), so the list keeps that a request was handled, not by whom.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/types.ts';

export type DataRequestKind = 'export' | 'erase';

export interface DataRequest {
  id: string;
  kind: DataRequestKind;
  /** Null once the customer was erased. */
  customerId: string | null;
  source: 'conversation' | 'admin';
  status: 'open' | 'done';
  createdAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
}

interface Row {
  id: string;
  kind: DataRequestKind;
  customer_id: string | null;
  source: 'conversation' | 'admin';
  status: 'open' | 'done';
  created_at: Date | string;
  done_at: Date | string | null;
  done_by: string | null;
}

const toRequest = (row: Row): DataRequest => ({
  id: row.id,
  kind: row.kind,
  customerId: row.customer_id,
  source: row.source,
  status: row.status,
  createdAt: new Date(row.created_at),
  doneAt: row.done_at === null ? null : new Date(row.done_at),
  doneBy: row.done_by,
});

export class DataRequests {
  constructor(private readonly db: Queryable) {}

  /** Opens a request; a second one of the same kind while one is open is the same request. */
  async open(kind: DataRequestKind, customerId: string, source: DataRequest['source']): Promise<{ request: DataRequest; created: boolean }> {
    const existing = await this.db.query<Row>("SELECT * FROM data_requests WHERE customer_id = $1 AND kind = $2 AND status = 'open' ORDER BY created_at LIMIT 1", [customerId, kind]);
    if (existing.rows[0]) return { request: toRequest(existing.rows[0]), created: false };
    const inserted = await this.db.query<Row>('INSERT INTO data_requests (id, kind, customer_id, source) VALUES ($1, $2, $3, $4) RETURNING *', [randomUUID(), kind, customerId, source]);
    return { request: toRequest(inserted.rows[0]!), created: true };
  }

  async list(options: { status?: 'open' | 'done'; limit?: number } = {}): Promise<DataRequest[]> {
    const result = await this.db.query<Row>(
      'SELECT * FROM data_requests WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2',
      [options.status ?? null, options.limit ?? 200],
    );
    return result.rows.map(toRequest);
  }

  /** Closes the customer's open requests of this kind (an export was handed over). */
  async complete(customerId: string, kind: DataRequestKind, by: string): Promise<number> {
    const result = await this.db.query("UPDATE data_requests SET status = 'done', done_at = now(), done_by = $3 WHERE customer_id = $1 AND kind = $2 AND status = 'open'", [customerId, kind, by]);
    return result.rowCount;
  }

  async openRequestId(customerId: string, kind: DataRequestKind): Promise<string | undefined> {
    const result = await this.db.query<{ id: string }>("SELECT id FROM data_requests WHERE customer_id = $1 AND kind = $2 AND status = 'open' ORDER BY created_at LIMIT 1", [customerId, kind]);
    return result.rows[0]?.id;
  }
}
