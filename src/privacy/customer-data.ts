import { mergeOwnRows, type CustomerRows } from '../store/customer-rows.ts';

const tables = {
  module: 'privacy',
  tables: {
    data_requests: { rows: 'apart', why: 'kept for the record: an erase closes them and cuts their link to the customer; a merge moves them' },
  },
} as const;

/** The privacy module's tables (docs/privacy.md). */
export const privacyCustomerData: CustomerRows = {
  ...tables,
  async export(q, subject) {
    const requests = await q.query<Record<string, unknown>>('SELECT * FROM data_requests WHERE customer_id = $1 ORDER BY created_at', [subject.customerId]);
    return { dataRequests: requests.rows };
  },
  merge: (tx, keep, gone) => mergeOwnRows(tx, tables, keep, gone),
  async erase(tx, subject, erased) {
    await tx.query(
      "UPDATE data_requests SET status = 'done', done_at = COALESCE(done_at, now()), done_by = COALESCE(done_by, $2), customer_id = NULL WHERE customer_id = $1",
      [subject.customerId, erased.requestedBy],
    );
  },
};
