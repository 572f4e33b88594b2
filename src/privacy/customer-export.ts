/**
 * `parley customers export` and GET /admin/customers/:id/export: everything Parley holds about one customer, as
 * JSON. The customer row, then every row of every table the modules declare as theirs that has a customer or
 * conversation column (src/store/customer-data.ts: identities, conversations with their state, messages, handoffs
 * with their context and rating, the consent ledger, analytics, …), their data requests, and the unanswered questions
 * recorded from their messages.
 */
import { ParleyError } from '../core/errors.ts';
import type { CustomerDataOwner } from '../store/customer-data.ts';
import type { Queryable } from '../store/types.ts';
import { subjectGaps } from '../kb/customer-data.ts';
import { loadSubject } from '../store/customer-rows.ts';
import { subjectRows } from './subject.ts';

export const EXPORT_FORMAT = 'parley-customer-export/1';

export interface CustomerExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  customer: Record<string, unknown>;
  /** Rows by table name, each table's own columns as they are stored. */
  tables: Record<string, Record<string, unknown>[]>;
  dataRequests: Record<string, unknown>[];
  /** Questions the knowledge base could not answer, as recorded for editors (redacted), that came from this customer. */
  unansweredQuestions: Record<string, unknown>[];
}

export async function exportCustomer(db: Queryable, owners: readonly CustomerDataOwner[], customerId: string, now = new Date()): Promise<CustomerExport> {
  const customer = await db.query<Record<string, unknown>>('SELECT * FROM customers WHERE id = $1', [customerId]);
  if (!customer.rows[0]) throw new ParleyError('NOT_FOUND', 'no customer with that id');
  const subject = await loadSubject(db, customerId);
  const tables = await subjectRows(db, subject, owners);
  const requests = await db.query<Record<string, unknown>>('SELECT * FROM data_requests WHERE customer_id = $1 ORDER BY created_at', [customerId]);
  const gaps = await subjectGaps(db, subject);
  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    customer: customer.rows[0],
    tables,
    dataRequests: requests.rows,
    unansweredQuestions: gaps,
  };
}
