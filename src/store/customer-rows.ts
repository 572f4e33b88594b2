/**
 * How each module's repository takes part when two customers are merged into one (src/customers/repository.ts) or a
 * customer is erased (src/privacy/repository.ts): the merge and the erase each run one transaction and hand it to
 * every module's `CustomerRows` in turn (src/customer-data.ts lists them, in the order they run), and each moves or
 * deletes the rows of its own tables. test/store/customer-data.test.ts checks the declared tables against the schema
 * and that each module's merge and erase reach every table it declares.
 */
import type { CustomerDataOwner } from './customer-data.ts';
import { ident, personalTables, subjectFilter, type Subject } from './personal-tables.ts';
import type { Queryable } from './types.ts';

export type { Subject } from './personal-tables.ts';

/** What an erase found and deleted so far, filled in by each module's `erase`. */
export interface ErasedRows {
  /** Who asked, for the records kept of the erase (`admin`, `cli`, …): never customer data. */
  requestedBy: string;
  /** Rows deleted per table. */
  counts: Record<string, number>;
  /** Parley's ids of the customer's rows that Redis key names may carry (customer, conversations, handoffs). */
  ids: string[];
  /** The channels' own ids (conversations, identities) that Redis key names may carry. */
  channelIds: string[];
  /** The customer's handoffs: their queue jobs and the copies desks keep outside Parley go after the transaction. */
  handoffs: { id: string; deskRefs: Readonly<Record<string, string>> }[];
}

/** A module's part in a customer's export (src/privacy/customer-export.ts): its rows, by where the export shows them. */
export interface ExportedRows {
  /** Rows by table name, each table's own columns as they are stored. */
  tables?: Record<string, Record<string, unknown>[]>;
  /** The customer row itself (the customers module). */
  customer?: Record<string, unknown>;
  /** The customer's data requests (privacy). */
  dataRequests?: Record<string, unknown>[];
  /** Questions the knowledge base could not answer that came from the customer, as recorded for editors (kb). */
  unansweredQuestions?: Record<string, unknown>[];
}

/** A module's tables that name a customer, and its part in exporting, merging and erasing one. */
export interface CustomerRows extends CustomerDataOwner {
  /** The subject's rows of the module's tables, for an export. */
  export(q: Queryable, subject: Subject): Promise<ExportedRows>;
  /** In the merge's transaction: the rows of `gone` become `keep`'s. `gone` is deleted after every module ran. */
  merge(tx: Queryable, keep: string, gone: string): Promise<void>;
  /** In the erase's transaction: deletes the subject's rows of the module's tables, counted into `erased`. */
  erase(tx: Queryable, subject: Subject, erased: ErasedRows): Promise<void>;
  /**
   * Transcript retention (src/privacy/retention.ts): deletes or blanks what customers wrote before `olderThan` in the
   * module's tables, at most `batch` rows per statement; how many rows lost it, by kind. Absent: nothing to purge.
   */
  purge?(q: Queryable, olderThan: Date, batch: number): Promise<Record<string, number>>;
}

/** Runs `sql` (parameters: `olderThan`, `batch`) until a run touches fewer than `batch` rows; the rows touched in all. */
export async function purgeInBatches(q: Queryable, sql: string, olderThan: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await q.query(sql, [olderThan, batch]);
    total += result.rowCount;
    if (result.rowCount < batch) return total;
  }
}

/** The customers (locked for the transaction) that exist among `ids`, oldest first. */
export async function lockCustomers(tx: Queryable, ids: readonly string[]): Promise<string[]> {
  const rows = await tx.query<{ id: string }>('SELECT id FROM customers WHERE id = ANY($1::uuid[]) ORDER BY created_at, id FOR UPDATE', [ids]);
  return rows.rows.map((row) => row.id);
}

/** The customer with their conversations: what export and erase select rows by. */
export async function loadSubject(q: Queryable, customerId: string): Promise<Subject> {
  const conversations = await q.query<{ id: string; channel: string; external_id: string }>(
    'SELECT id, channel, external_id FROM conversations WHERE customer_id = $1 ORDER BY created_at',
    [customerId],
  );
  return { customerId, conversations: conversations.rows.map((r) => ({ id: r.id, channel: r.channel, externalId: r.external_id })) };
}

/** The distinct texts the subject wrote (their inbound messages): for a module that finds its rows by text (kb_gaps). */
export async function subjectTexts(q: Queryable, subject: Subject): Promise<string[]> {
  if (subject.conversations.length === 0) return [];
  const texts = await q.query<{ text: string }>(
    "SELECT DISTINCT text FROM messages WHERE conversation_id = ANY($1::uuid[]) AND direction = 'in' AND text IS NOT NULL",
    [subject.conversations.map((c) => c.id)],
  );
  return texts.rows.map((r) => r.text);
}

/** The subject's rows of a module's tables picked by their own columns (`rows: 'own'`), by table: an export's. */
export async function exportOwnRows(q: Queryable, owner: CustomerDataOwner, subject: Subject): Promise<ExportedRows> {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const table of await personalTables(q, [owner])) {
    const { where, params } = subjectFilter(table, subject);
    tables[table.name] = (await q.query<Record<string, unknown>>(`SELECT * FROM ${ident(table.name)} WHERE ${where}`, params)).rows;
  }
  return { tables };
}

/**
 * Deletes the subject's rows of a module's tables picked by their own columns (`rows: 'own'`), counted before any is
 * deleted (a cascade would empty a later table first). The tables that go `with` another go with it.
 */
export async function eraseOwnRows(tx: Queryable, owner: CustomerDataOwner, subject: Subject, erased: ErasedRows): Promise<void> {
  const tables = await personalTables(tx, [owner]);
  for (const table of tables) {
    const { where, params } = subjectFilter(table, subject);
    const counted = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${ident(table.name)} WHERE ${where}`, params);
    const n = Number(counted.rows[0]?.n ?? 0);
    if (n > 0) erased.counts[table.name] = n;
  }
  for (const table of tables) {
    const { where, params } = subjectFilter(table, subject);
    await tx.query(`DELETE FROM ${ident(table.name)} WHERE ${where}`, params);
  }
}

/** Moves a module's rows from `gone` to `keep`: every column of its tables that references customers(id), found from the database's own foreign keys. */
export async function mergeOwnRows(tx: Queryable, owner: CustomerDataOwner, keep: string, gone: string): Promise<void> {
  for (const ref of (await customerReferences(tx)).filter((column) => column.name in owner.tables)) {
    await tx.query(`UPDATE ${ref.table} SET ${ref.column} = $1 WHERE ${ref.column} = $2`, [keep, gone]);
  }
}

/** A module whose tables need nothing but the above: its own rows exported, erased and moved. */
export function ownRows(owner: CustomerDataOwner): CustomerRows {
  return {
    ...owner,
    export: (q, subject) => exportOwnRows(q, owner, subject),
    merge: (tx, keep, gone) => mergeOwnRows(tx, owner, keep, gone),
    erase: (tx, subject, erased) => eraseOwnRows(tx, owner, subject, erased),
  };
}

/** Every column that references customers(id), as quoted identifiers. */
async function customerReferences(q: Queryable): Promise<{ table: string; name: string; column: string }[]> {
  const result = await q.query<{ table_name: string; name: string; column_name: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, cl.relname AS name, quote_ident(a.attname) AS column_name
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     JOIN pg_class cl ON cl.oid = c.conrelid
     WHERE c.contype = 'f' AND c.confrelid = 'customers'::regclass
     ORDER BY 1, 2`,
  );
  return result.rows.map((row) => ({ table: row.table_name, name: row.name, column: row.column_name }));
}
