import { ParleyError } from '../core/errors.ts';
import { declaredTables, type CustomerDataOwner } from '../store/customer-data.ts';
import type { Db, Queryable } from '../store/types.ts';

/** mergeCustomers with the modules' tables given: what the hooks and routes that link customers call. */
export type MergeCustomers = (a: string, b: string, link: { how: 'code' | 'agent'; actor?: string }) => Promise<MergeResult>;

export interface MergeResult {
  /** The customer that remains: the older of the two. */
  customerId: string;
  /** The customer that was folded into it and no longer exists. */
  absorbedId: string;
}

/**
 * Makes two customers one, after the customer proved they hold both identities or an agent linked them (never from a
 * name): the older customer keeps everything — identities, conversations, consent history, and every other row
 * that points at a customer: the columns of the modules' tables (src/store/customer-data.ts) that reference
 * customers(id), found from the database's own foreign keys — and the other is deleted. A choice of preferred channel and a display name are kept when only the absorbed one had them.
 */
export async function mergeCustomers(
  db: Db, owners: readonly CustomerDataOwner[], a: string, b: string, link: { how: 'code' | 'agent'; actor?: string },
): Promise<MergeResult> {
  if (a === b) throw new ParleyError('CONFLICT', 'these identities already belong to the same customer');
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>('SELECT id FROM customers WHERE id = ANY($1::uuid[]) ORDER BY created_at, id FOR UPDATE', [[a, b]]);
    if (rows.rows.length !== 2) throw new ParleyError('NOT_FOUND', 'one of the customers to link does not exist');
    const keep = rows.rows[0]!.id;
    const gone = rows.rows[1]!.id;
    await tx.query(
      `UPDATE customers k SET
         display_name = COALESCE(k.display_name, g.display_name),
         preferred_channel = CASE WHEN g.preferred_channel_at > COALESCE(k.preferred_channel_at, '-infinity') THEN g.preferred_channel ELSE k.preferred_channel END,
         preferred_channel_at = GREATEST(k.preferred_channel_at, g.preferred_channel_at),
         last_channel = COALESCE(k.last_channel, g.last_channel)
       FROM customers g WHERE k.id = $1 AND g.id = $2`,
      [keep, gone],
    );
    const declared = declaredTables(owners);
    for (const ref of (await customerReferences(tx)).filter((column) => declared.has(column.name))) {
      await tx.query(`UPDATE ${ref.table} SET ${ref.column} = $1 WHERE ${ref.column} = $2`, [keep, gone]);
    }
    await tx.query('DELETE FROM customers WHERE id = $1', [gone]);
    await tx.query('INSERT INTO customer_links (customer_id, absorbed_customer_id, how, actor) VALUES ($1, $2, $3, $4)', [keep, gone, link.how, link.actor ?? null]);
    return { customerId: keep, absorbedId: gone };
  });
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
