/**
 * `parley customers export` and GET /admin/customers/:id/export: everything Parley holds about one customer, as
 * JSON. Each module exports its own rows (`CustomerRows.export`, src/customer-data.ts lists them): the customer row,
 * every row of every table the modules declare as theirs that has a customer or conversation column (identities,
 * conversations with their state, messages, handoffs with their context and rating, the consent ledger, analytics,
 * …), their data requests, and the unanswered questions recorded from their messages.
 */
import { ParleyError } from '../core/errors.ts';
import type { Queryable } from '../store/types.ts';
import { loadSubject, type CustomerRows, type ExportedRows } from '../store/customer-rows.ts';

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

export async function exportCustomer(db: Queryable, modules: readonly CustomerRows[], customerId: string, now = new Date()): Promise<CustomerExport> {
  const subject = await loadSubject(db, customerId);
  const parts: ExportedRows[] = [];
  for (const module of modules) parts.push(await module.export(db, subject));
  const customer = parts.find((part) => part.customer)?.customer;
  if (!customer) throw new ParleyError('NOT_FOUND', 'no customer with that id');
  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    customer,
    tables: Object.assign({}, ...parts.map((part) => part.tables ?? {})) as CustomerExport['tables'],
    dataRequests: parts.flatMap((part) => part.dataRequests ?? []),
    unansweredQuestions: parts.flatMap((part) => part.unansweredQuestions ?? []),
  };
}
