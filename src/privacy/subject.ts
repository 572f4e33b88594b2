import { redact } from '../infra/redact.ts';
import { personalTables, subjectFilter, ident, type Subject } from './personal-tables.ts';
import type { CustomerDataOwner } from '../store/customer-data.ts';
import type { Queryable } from '../store/types.ts';

/** The customer with their conversations: what export and erase select rows by. */
export async function loadSubject(db: Queryable, customerId: string): Promise<Subject> {
  const conversations = await db.query<{ id: string; channel: string; external_id: string }>(
    'SELECT id, channel, external_id FROM conversations WHERE customer_id = $1 ORDER BY created_at',
    [customerId],
  );
  return { customerId, conversations: conversations.rows.map((r) => ({ id: r.id, channel: r.channel, externalId: r.external_id })) };
}

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

/**
 * The knowledge base's unanswered questions that came from this customer. kb_gaps keeps no link to who asked (by
 * design), so they are found by their text: the customer's messages, redacted and cut the way the gap was recorded.
 */
export async function subjectGapIds(db: Queryable, subject: Subject): Promise<string[]> {
  if (subject.conversations.length === 0) return [];
  const texts = await db.query<{ text: string }>(
    "SELECT DISTINCT text FROM messages WHERE conversation_id = ANY($1::uuid[]) AND direction = 'in' AND text IS NOT NULL",
    [subject.conversations.map((c) => c.id)],
  );
  const questions = [...new Set(texts.rows.flatMap((r) => [r.text, r.text.trim()]).map((t) => redact(t).slice(0, 500)))];
  if (questions.length === 0) return [];
  const gaps = await db.query<{ id: string | number }>('SELECT id FROM kb_gaps WHERE question = ANY($1::text[])', [questions]);
  return gaps.rows.map((r) => String(r.id));
}

/** JSON.stringify that writes bigint values (PGlite's int8) as strings. */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), space);
}
