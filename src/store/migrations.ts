import type { Db } from './types.ts';

/** One schema change. `sql` may hold several statements; it runs in the same transaction as its record. */
export interface Migration {
  /** Sortable and never reused: `NNNN-what-it-does`. */
  id: string;
  sql: string;
}

/**
 * Every schema change, oldest first. Append only: a migration that shipped is never edited, a new one fixes it.
 */
export const migrations: readonly Migration[] = [
  {
    id: '0001-initial',
    sql: `
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE identities (
        channel text NOT NULL,
        external_id text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, external_id)
      );
      CREATE INDEX identities_customer ON identities (customer_id);

      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL,
        external_id text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        address jsonb NOT NULL,
        mode text NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'human')),
        state jsonb NOT NULL DEFAULT '{"vars":{}}',
        version integer NOT NULL DEFAULT 0,
        locale text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, external_id)
      );
      CREATE INDEX conversations_customer ON conversations (customer_id);

      CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        channel text NOT NULL,
        external_id text,
        text text,
        payload text,
        buttons jsonb NOT NULL DEFAULT '[]',
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL CHECK (
          (direction = 'in' AND status IN ('received', 'processed'))
          OR (direction = 'out' AND status IN ('pending', 'sent', 'failed'))
        ),
        in_reply_to bigint REFERENCES messages (id) ON DELETE SET NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        UNIQUE (channel, external_id)
      );
      CREATE INDEX messages_transcript ON messages (conversation_id, id);
      CREATE INDEX messages_pending_inbound ON messages (conversation_id, id)
        WHERE direction = 'in' AND status = 'received';
      CREATE INDEX messages_pending_outbound ON messages (created_at, id)
        WHERE direction = 'out' AND status = 'pending';
      CREATE INDEX messages_replies ON messages (in_reply_to, id) WHERE in_reply_to IS NOT NULL;
    `,
  },
  {
    // Questions the knowledge base could not answer, for editors (src/kb/gap-store.ts). Deliberately without
    // conversation, customer or message ids: a gap cannot be traced back to who asked.
    id: '0002-kb-gaps',
    sql: `
      CREATE TABLE kb_gaps (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        question text NOT NULL,
        confidence real NOT NULL,
        nearest_article_id text,
        locale text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX kb_gaps_created ON kb_gaps (created_at);
    `,
  },
  {
    id: '0003-handoffs',
    sql: `
      CREATE TABLE handoffs (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        queue text NOT NULL,
        trigger text NOT NULL,
        reason text NOT NULL,
        priority integer NOT NULL,
        status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'claimed', 'resolved')),
        context jsonb NOT NULL,
        agent_id text,
        agent_name text,
        outcome text,
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        desk_refs jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        announced_at timestamptz,
        claimed_at timestamptz,
        resolved_at timestamptz,
        last_notice_at timestamptz,
        offered_message_at timestamptz,
        rating_asked_at timestamptz,
        rating_closed_at timestamptz
      );
      CREATE UNIQUE INDEX handoffs_one_open ON handoffs (conversation_id) WHERE status <> 'resolved';
      CREATE INDEX handoffs_waiting ON handoffs (queue, priority, created_at) WHERE status = 'waiting';
      CREATE INDEX handoffs_rating_open ON handoffs (conversation_id) WHERE rating_asked_at IS NOT NULL AND rating_closed_at IS NULL;

      CREATE TABLE handoff_replies (
        handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
        key text NOT NULL,
        message_id bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        agent_id text NOT NULL,
        PRIMARY KEY (handoff_id, key)
      );
      CREATE INDEX handoff_replies_message ON handoff_replies (message_id);
    `,
  },
  {
    // What a channel reported after it took a message (WhatsApp: sent, delivered, read, failed), for agents.
    id: '0004-message-delivery-status',
    sql: `
      ALTER TABLE messages ADD COLUMN delivery_status text;
      ALTER TABLE messages ADD COLUMN delivery_status_at timestamptz;
    `,
  },
  {
    // What a channel needs to write into a conversation later, outside the customer's turn (Bot Framework: the
    // ConversationReference with its serviceUrl). Opaque to Parley; the channel's adapter reads and writes it.
    id: '0005-channel-references',
    sql: `
      CREATE TABLE channel_references (
        channel text NOT NULL,
        conversation_id text NOT NULL,
        reference jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, conversation_id)
      );
    `,
  },
];

/** Advisory lock key shared by every Parley process migrating the same database ("parley" in ASCII). */
const MIGRATION_LOCK_KEY = 0x7061726c6579;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, in one transaction.
 * Two processes calling this at once are serialized by a transaction-scoped advisory lock (PGlite supports it
 * too, and runs one transaction at a time anyway), so the second one finds nothing left to do.
 * Returns the ids it applied.
 */
export async function runMigrations(db: Db, list: readonly Migration[] = migrations): Promise<string[]> {
  return db.transaction(async (tx) => {
    // The lock comes first: even CREATE TABLE IF NOT EXISTS races on PostgreSQL without it.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        id text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(done.rows.map((row) => row.id));
    const ran: string[] = [];
    for (const migration of list) {
      if (applied.has(migration.id)) continue;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      ran.push(migration.id);
    }
    return ran;
  });
}
