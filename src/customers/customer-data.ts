import { eraseOwnRows, exportOwnRows, mergeOwnRows, type CustomerRows } from '../store/customer-rows.ts';

const tables = {
  module: 'customers',
  tables: {
    customers: { rows: 'apart', why: 'the customer row itself: deleted last on an erase, the absorbed one deleted on a merge' },
    identities: { rows: 'own' },
    consent_events: { rows: 'own' },
    consent_refusals: { rows: 'own' },
    link_codes: { rows: 'own' },
    link_code_failures: { rows: 'own' },
    customer_links: { rows: 'own' },
    notify_requests: { rows: 'own' },
  },
} as const;

/**
 * The customers module's tables (docs/customers.md): the customer, their identities, consent and links. Runs last in
 * a merge and an erase: the customer's row goes with it.
 */
export const customersCustomerData: CustomerRows = {
  ...tables,
  async export(q, subject) {
    const customer = await q.query<Record<string, unknown>>('SELECT * FROM customers WHERE id = $1', [subject.customerId]);
    return { ...(customer.rows[0] ? { customer: customer.rows[0] } : {}), ...(await exportOwnRows(q, tables, subject)) };
  },
  async merge(tx, keep, gone) {
    // A choice of preferred channel and a display name are kept when only the absorbed customer had them.
    await tx.query(
      `UPDATE customers k SET
         display_name = COALESCE(k.display_name, g.display_name),
         preferred_channel = CASE WHEN g.preferred_channel_at > COALESCE(k.preferred_channel_at, '-infinity') THEN g.preferred_channel ELSE k.preferred_channel END,
         preferred_channel_at = GREATEST(k.preferred_channel_at, g.preferred_channel_at),
         last_channel = COALESCE(k.last_channel, g.last_channel)
       FROM customers g WHERE k.id = $1 AND g.id = $2`,
      [keep, gone],
    );
    await mergeOwnRows(tx, tables, keep, gone);
    await tx.query('DELETE FROM customers WHERE id = $1', [gone]);
  },
  async erase(tx, subject, erased) {
    const identities = await tx.query<{ external_id: string }>('SELECT external_id FROM identities WHERE customer_id = $1', [subject.customerId]);
    erased.ids.push(subject.customerId);
    erased.channelIds.push(...identities.rows.map((i) => i.external_id));
    await eraseOwnRows(tx, tables, subject, erased);
    await tx.query('DELETE FROM customers WHERE id = $1', [subject.customerId]);
    erased.counts.customers = 1;
  },
};
