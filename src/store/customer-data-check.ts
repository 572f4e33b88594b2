/**
 * The contract between the schema and the modules' declarations of their tables that name a customer
 * (customer-data.ts), read from the database after its migrations: what it finds wrong, one line each. Run by
 * test/store/customer-data.test.ts, so a table added by a migration that names a customer and that no module declares
 * fails it before an erase or a merge could leave that table's rows behind.
 */
import { declaredTables, type CustomerDataOwner } from './customer-data.ts';
import type { Queryable } from './types.ts';

/** Column names that name a customer: their id, a conversation of theirs, a channel address, a phone number. */
const NAMING_COLUMN = /(^|_)(customer_id|conversation_id|address|phone)$/;

export async function customerDataProblems(db: Queryable, owners: readonly CustomerDataOwner[]): Promise<string[]> {
  const problems: string[] = [];
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  const foreignKeys = await db.query<{ table_name: string; parent: string; on_delete: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS parent, c.confdeltype::text AS on_delete
     FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
  );
  const tables = new Set(columns.rows.map((row) => row.table_name));
  const naming = new Set(columns.rows.filter((row) => NAMING_COLUMN.test(row.column_name)).map((row) => row.table_name));
  // A row that points at a row naming a customer names them too (handoff_replies → handoffs → conversations).
  for (let grew = true; grew; ) {
    grew = false;
    for (const key of foreignKeys.rows) {
      if ((naming.has(key.parent) || key.parent === 'customers') && !naming.has(key.table_name)) {
        naming.add(key.table_name);
        grew = true;
      }
    }
  }

  const seen = new Map<string, string>();
  for (const owner of owners) {
    for (const name of Object.keys(owner.tables)) {
      if (seen.has(name)) problems.push(`${name}: declared by both ${seen.get(name)} and ${owner.module}`);
      seen.set(name, owner.module);
    }
  }
  const declared = declaredTables(owners);
  for (const name of [...naming].sort()) {
    if (!declared.has(name)) problems.push(`${name}: names a customer, but no module declares how it is erased and merged`);
  }
  for (const [name, { module, table }] of declared) {
    if (!tables.has(name)) {
      problems.push(`${name}: declared by ${module}, but no such table`);
      continue;
    }
    if (table.rows === 'own' && !columns.rows.some((row) => row.table_name === name && /(^|_)(customer_id|conversation_id)$/.test(row.column_name))) {
      problems.push(`${name}: its rows are picked by their customer or conversation columns, but it has none`);
    }
    if (table.rows === 'with' && !foreignKeys.rows.some((key) => key.table_name === name && key.parent === table.parent && key.on_delete === 'c')) {
      problems.push(`${name}: goes with ${table.parent}, but has no foreign key to it that cascades on delete`);
    }
  }
  return problems;
}
