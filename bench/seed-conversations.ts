/**
 * Fills a Parley store with web chat conversations that have history, in bulk SQL (generate_series, one INSERT … SELECT
 * per table and batch), as fast as the database allows: each conversation `seed-<n>` has its customer and identity,
 * a state after two turns, and four messages (greeting, menu, a knowledge question, its answer), all delivered.
 */
import type { Db } from '../src/store/types.ts';

/** The conversation id `seedConversations` gives conversation n (1-based). */
export const seededConversationId = (n: number) => `seed-${n}`;

const HISTORY: Array<[direction: 'in' | 'out', text: string]> = [
  ['in', 'hi'],
  ['out', 'What can I help you with? Tap a button or just tell me what you need.'],
  ['in', 'how long does the battery of the headphones last'],
  ['out', 'The Wave 700 ANC play up to 30 hours with noise cancelling on.\n\nSource: Wave 700 ANC headphones'],
];
export const MESSAGES_PER_SEEDED_CONVERSATION = HISTORY.length;

/** Inserts conversations 1..count in batches of `batch` (one transaction each); ids are derived from n. */
export async function seedConversations(db: Db, count: number, options: { batch?: number; onProgress?: (done: number) => void } = {}): Promise<void> {
  const batch = options.batch ?? 10_000;
  const history = HISTORY.map(([direction, text], n) => `(${n + 1}, '${direction}', ${literal(text)})`).join(', ');
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO customers (id) SELECT md5('customer-' || i)::uuid FROM generate_series(${from}, ${to}) AS i`);
      await tx.query(`
        INSERT INTO identities (channel, external_id, customer_id)
        SELECT 'web', 'seed-' || i, md5('customer-' || i)::uuid FROM generate_series(${from}, ${to}) AS i`);
      await tx.query(`
        INSERT INTO conversations (id, channel, external_id, customer_id, address, state, version, updated_at)
        SELECT md5('conversation-' || i)::uuid, 'web', 'seed-' || i, md5('customer-' || i)::uuid,
               jsonb_build_object('channel', 'web', 'conversationId', 'seed-' || i, 'userId', 'seed-' || i),
               '{"vars": {"greeted": true}, "flow": null}'::jsonb, 2, now() - interval '1 day'
        FROM generate_series(${from}, ${to}) AS i`);
      await tx.query(`
        INSERT INTO messages (conversation_id, direction, channel, external_id, text, status, created_at, sent_at)
        SELECT md5('conversation-' || i)::uuid, h.direction, 'web',
               CASE WHEN h.direction = 'in' THEN 'seed-' || i || ':seed-m' || h.n END,
               h.text, CASE WHEN h.direction = 'in' THEN 'processed' ELSE 'sent' END,
               now() - interval '1 day', CASE WHEN h.direction = 'out' THEN now() - interval '1 day' END
        FROM generate_series(${from}, ${to}) AS i CROSS JOIN (VALUES ${history}) AS h (n, direction, text)
        ORDER BY i, h.n`);
    });
    options.onProgress?.(to);
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
