/**
 * The privacy module's repository: the data requests and the erasure audit, and the module's statements over the
 * other modules' tables — an export reads every declared table, an erase runs each module's `CustomerRows.erase`
 * in one transaction (src/store/customer-rows.ts), retention purges old customer text. The module reaches the
 * database only through it; built by `store.repository(privacyRepository)`.
 */
import type { CountryCode } from 'libphonenumber-js';
import { ParleyError } from '../core/errors.ts';
import { loadSubject, lockCustomers, type CustomerRows, type ErasedRows } from '../store/customer-rows.ts';
import type { Db } from '../store/types.ts';
import { exportCustomer, type CustomerExport } from './customer-export.ts';
import { resolveCustomerRef } from './customer-ref.ts';
import { DataRequests } from './data-requests.ts';
import { purgeTranscripts, RETENTION_BATCH, type PurgeCounts } from './retention.ts';

/** What the database part of an erase did: the audit row, and what Redis and the desks are cleaned of afterwards. */
export interface ErasedCustomer extends ErasedRows {
  auditId: string;
}

export class PrivacyRepository {
  readonly requests: DataRequests;

  constructor(private readonly db: Db) {
    this.requests = new DataRequests(db);
  }

  /** The customer a command or an admin names (customer-ref.ts). */
  customerOf(ref: string, defaultCountry?: CountryCode): Promise<string> {
    return resolveCustomerRef(this.db, ref, defaultCountry);
  }

  export(modules: readonly CustomerRows[], customerId: string): Promise<CustomerExport> {
    return exportCustomer(this.db, modules, customerId);
  }

  /**
   * In one transaction: each module erases the customer's rows, in the order given (src/customer-data.ts), and the
   * audit row records who asked and how many rows each table lost.
   */
  async erase(modules: readonly CustomerRows[], customerId: string, request: { requestedBy: string; dataRequestId?: string }): Promise<ErasedCustomer> {
    return this.db.transaction(async (tx) => {
      if ((await lockCustomers(tx, [customerId])).length === 0) throw new ParleyError('NOT_FOUND', 'no customer with that id');
      const subject = await loadSubject(tx, customerId);
      const rows: ErasedRows = { requestedBy: request.requestedBy, counts: {}, ids: [], channelIds: [], handoffs: [] };
      for (const module of modules) await module.erase(tx, subject, rows);
      const audit = await tx.query<{ id: string | number }>(
        'INSERT INTO erasure_audit (requested_by, data_request_id, counts) VALUES ($1, $2, $3::jsonb) RETURNING id',
        [request.requestedBy, request.dataRequestId ?? null, JSON.stringify(rows.counts)],
      );
      return { ...rows, auditId: String(audit.rows[0]!.id) };
    });
  }

  /** Adds counts to an erase's audit row (what Redis and the desks lost after the transaction). */
  async recordCounts(auditId: string, extra: Record<string, number>): Promise<void> {
    await this.db.query('UPDATE erasure_audit SET counts = counts || $2::jsonb WHERE id = $1', [auditId, JSON.stringify(extra)]);
  }

  /** Deletes or blanks what customers wrote before `olderThan` (retention.ts). */
  purgeTranscripts(olderThan: Date, batch = RETENTION_BATCH): Promise<PurgeCounts> {
    return purgeTranscripts(this.db, olderThan, batch);
  }

  /** Resolved handoffs older than `olderThan` of which the desk keeps a copy, oldest first. */
  async oldDeskCopies(desk: string, olderThan: Date, limit: number): Promise<{ id: string; deskRefs: Readonly<Record<string, string>> }[]> {
    const old = await this.db.query<{ id: string; desk_refs: Record<string, string> }>(
      `SELECT id, desk_refs FROM handoffs WHERE status = 'resolved' AND created_at < $1 AND desk_refs ? $2 ORDER BY created_at LIMIT $3`,
      [olderThan, desk, limit]);
    return old.rows.map((row) => ({ id: row.id, deskRefs: row.desk_refs }));
  }

  /** Forgets the desk's copies of these handoffs (they were deleted there). */
  async dropDeskRefs(handoffIds: readonly string[], desk: string): Promise<void> {
    await this.db.query('UPDATE handoffs SET desk_refs = desk_refs - $2::text WHERE id = ANY($1::uuid[])', [[...handoffIds], desk]);
  }
}

/** For `store.repository`. */
export const privacyRepository = (db: Db): PrivacyRepository => new PrivacyRepository(db);
