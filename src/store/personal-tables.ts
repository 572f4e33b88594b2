/**
 * Which tables hold a customer's data: those the modules declare as picked by their own columns
 * (src/store/customer-data.ts), with their columns read from the database itself (information_schema): a column named
 * `customer_id` or `conversation_id` (or ending in `_customer_id` / `_conversation_id`). `channel_references` keys the
 * channel's own conversation id: it is matched on the conversations' (channel, external id) instead.
 */
import { ownTables, type CustomerDataOwner } from './customer-data.ts';
import type { Queryable } from './types.ts';

export interface PersonalTable {
  name: string;
  /** Columns holding Parley's customer id. */
  customerColumns: string[];
  /** Columns holding Parley's conversation id (uuid), or, in `channel_references`, the channel's conversation id. */
  conversationColumns: string[];
  /** Text conversation columns beside a `channel` column: the channel's own conversation id (channel_references). */
  channelConversationColumns: string[];
  hasChannel: boolean;
}

export async function personalTables(db: Queryable, owners: readonly CustomerDataOwner[]): Promise<PersonalTable[]> {
  const own = ownTables(owners);
  const result = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
       AND (c.column_name IN ('customer_id', 'conversation_id', 'channel') OR c.column_name LIKE '%\\_customer\\_id' OR c.column_name LIKE '%\\_conversation\\_id')
     ORDER BY c.table_name, c.column_name`,
  );
  const tables = new Map<string, PersonalTable>();
  for (const { table_name: name, column_name: column, data_type: type } of result.rows) {
    if (!own.has(name)) continue;
    const table = tables.get(name) ?? { name, customerColumns: [], conversationColumns: [], channelConversationColumns: [], hasChannel: false };
    if (column === 'channel') table.hasChannel = true;
    else if (column.endsWith('customer_id')) table.customerColumns.push(column);
    else if (type === 'uuid') table.conversationColumns.push(column);
    else table.channelConversationColumns.push(column);
    tables.set(name, table);
  }
  for (const table of tables.values()) {
    // A text conversation id without a channel beside it could be either kind: match it as Parley's id.
    if (!table.hasChannel) table.conversationColumns.push(...table.channelConversationColumns.splice(0));
  }
  return [...tables.values()].filter((t) => t.customerColumns.length + t.conversationColumns.length + t.channelConversationColumns.length > 0);
}

/** A quoted SQL identifier (names come from information_schema, but quote them anyway). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface Subject {
  customerId: string;
  conversations: { id: string; channel: string; externalId: string }[];
}

/**
 * The WHERE clause selecting a subject's rows in a table, with its parameters: customer columns equal the customer
 * id; conversation columns equal one of the conversation ids, or (text columns beside a `channel`, like
 * channel_references) the channel's conversation id on that channel.
 */
export function subjectFilter(table: PersonalTable, subject: Subject): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const parts: string[] = [];
  if (table.customerColumns.length > 0) {
    const id = param(subject.customerId);
    parts.push(...table.customerColumns.map((column) => `${ident(column)}::text = ${id}`));
  }
  if (table.conversationColumns.length + table.channelConversationColumns.length > 0) {
    const ids = param(subject.conversations.map((c) => c.id));
    parts.push(...table.conversationColumns.map((column) => `${ident(column)}::text = ANY(${ids}::text[])`));
    if (table.channelConversationColumns.length > 0) {
      const external = param(subject.conversations.map((c) => `${c.channel}\u001f${c.externalId}`));
      for (const column of table.channelConversationColumns) {
        parts.push(`${ident(column)} = ANY(${ids}::text[])`, `(channel || chr(31) || ${ident(column)}) = ANY(${external}::text[])`);
      }
    }
  }
  return { where: parts.join(' OR '), params };
}
