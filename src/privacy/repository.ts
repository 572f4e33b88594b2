/**
 * The privacy module's repository: the data requests and the erasure audit, and the module's statements over the
 * other modules' tables — an export reads every declared table, an erase runs each module's `CustomerRows.erase`
 * in one transaction (src/store/customer-rows.ts), retention has each module purge its old customer text. The module reaches the
 * database only through it; built by `store.repository(privacyRepository)`.
 */
import { ParleyError } from '../core/errors.ts';
import { loadSubject, lockCustomers, type CustomerRows, type ErasedRows } from '../store/customer-rows.ts';
import type { Db } from '../store/types.ts';
import { exportCustomer, type CustomerExport } from './customer-export.ts';
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

  /** Each module deletes or blanks what customers wrote in its tables before `olderThan` (retention.ts). */
  purgeTranscripts(modules: readonly CustomerRows[], olderThan: Date, batch = RETENTION_BATCH): Promise<PurgeCounts> {
    return purgeTranscripts(this.db, modules, olderThan, batch);
  }
}

/** For `store.repository`. */
export const privacyRepository = (db: Db): PrivacyRepository => new PrivacyRepository(db);
