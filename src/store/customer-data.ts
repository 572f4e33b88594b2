/**
 * Who owns which table that names a customer, and how each takes part when a customer is exported, erased or merged
 * into another (src/store/customer-rows.ts). Each module declares its own tables
 * (`<module>/customer-data.ts`); the app and the CLI hand the whole list (src/customer-data.ts) to erase, export and
 * merge. test/store/customer-data.test.ts reads the schema after the migrations and fails for a table that names a
 * customer (a customer, conversation, address or phone column, or a foreign key to a table that does) and that no
 * module declares.
 */
import { eraseOwnRows, exportOwnRows, mergeOwnRows, purgeInBatches, type CustomerRows } from './customer-rows.ts';

/** How one table takes part. */
export type CustomerTable =
  /**
   * Its rows are picked by its customer and conversation columns (read from the schema): exported, erased; on a merge
   * its columns that reference customers move to the customer that remains.
   */
  | { rows: 'own' }
  /** Its rows go with a row of `parent` (a foreign key with ON DELETE CASCADE): erased with it, never picked alone. */
  | { rows: 'with'; parent: string }
  /** Handled by the erase itself, as `why` says (the customer's row, the anonymous data requests, …). */
  | { rows: 'apart'; why: string };

/** A module's tables that name a customer. */
export interface CustomerDataOwner {
  /** The module, as a folder under src/ (`customers`, `handoff`, …). */
  module: string;
  tables: Readonly<Record<string, CustomerTable>>;
}

/** The store's own tables: the conversations, their messages and what the turn keeps about them. */
const tables: CustomerDataOwner = {
  module: 'store',
  tables: {
    conversations: { rows: 'own' },
    messages: { rows: 'own' },
    conversation_facts: { rows: 'own' },
    // Keyed by the channel's own conversation id beside its channel (src/store/personal-tables.ts).
    channel_references: { rows: 'own' },
  },
};

/** On a merge the conversations move to the customer that remains; an erase deletes them with their messages. */
export const storeCustomerData: CustomerRows = {
  ...tables,
  export: (q, subject) => exportOwnRows(q, tables, subject),
  merge: (tx, keep, gone) => mergeOwnRows(tx, tables, keep, gone),
  async erase(tx, subject, erased) {
    erased.ids.push(...subject.conversations.map((c) => c.id));
    erased.channelIds.push(...subject.conversations.map((c) => c.externalId));
    await eraseOwnRows(tx, tables, subject, erased);
  },
  /** Messages older than the period, both directions; and facts past their own expiry, whatever the period (no turn reads them). */
  async purge(q, olderThan, batch) {
    const messages = await purgeInBatches(q, 'DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE created_at < $1 ORDER BY id LIMIT $2)', olderThan, batch);
    await q.query('DELETE FROM conversation_facts WHERE expires_at < now()');
    return { messages };
  },
};

/** The tables whose rows are picked by their own columns. */
export function ownTables(owners: readonly CustomerDataOwner[]): Set<string> {
  return new Set(owners.flatMap((owner) => Object.entries(owner.tables).filter(([, table]) => table.rows === 'own').map(([name]) => name)));
}

/** Every declared table, with its owner. */
export function declaredTables(owners: readonly CustomerDataOwner[]): Map<string, { module: string; table: CustomerTable }> {
  const declared = new Map<string, { module: string; table: CustomerTable }>();
  for (const owner of owners) for (const [name, table] of Object.entries(owner.tables)) declared.set(name, { module: owner.module, table });
  return declared;
}
