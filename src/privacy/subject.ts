import { personalTables, subjectFilter, ident, type Subject } from '../store/personal-tables.ts';
import type { CustomerDataOwner } from '../store/customer-data.ts';
import type { Queryable } from '../store/types.ts';

/** The rows of every personal table that belong to the subject, by table. */
export async function subjectRows(db: Queryable, subject: Subject, owners: readonly CustomerDataOwner[]): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of await personalTables(db, owners)) {
    const { where, params } = subjectFilter(table, subject);
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${ident(table.name)} WHERE ${where}`, params);
    out[table.name] = rows.rows;
  }
  return out;
}

/** JSON.stringify that writes bigint values (PGlite's int8) as strings. */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), space);
}
