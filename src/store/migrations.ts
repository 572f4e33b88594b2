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
  {
    // Issue 7, the customer's choice (src/customers): phone identities in E.164 across channels, the preferred channel,
    // the consent ledger with its refusals, one-time link codes, links made, and /api/notify's idempotency keys.
    id: '0006-customer-channels-consent',
    sql: `
      ALTER TABLE identities ADD COLUMN phone text;
      UPDATE identities SET phone = '+' || external_id WHERE channel = 'whatsapp' AND external_id ~ '^[1-9][0-9]{5,14}$';
      CREATE INDEX identities_phone ON identities (phone, created_at) WHERE phone IS NOT NULL;

      ALTER TABLE customers ADD COLUMN preferred_channel text;
      ALTER TABLE customers ADD COLUMN preferred_channel_at timestamptz;
      ALTER TABLE customers ADD COLUMN last_channel text;

      ALTER TABLE messages ADD COLUMN purpose text CHECK (purpose IN ('service', 'marketing', 'notifications'));

      CREATE TABLE consent_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        channel text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('service', 'marketing', 'notifications')),
        state text NOT NULL CHECK (state IN ('granted', 'withdrawn')),
        how text NOT NULL CHECK (how IN ('keyword', 'button', 'api', 'agent', 'implied-by-contact')),
        said text,
        shown text,
        actor text,
        message_id bigint REFERENCES messages (id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX consent_events_current ON consent_events (customer_id, channel, purpose, id);

      CREATE TABLE consent_refusals (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        channel text,
        purpose text NOT NULL,
        source text NOT NULL,
        reason text NOT NULL,
        message_id bigint REFERENCES messages (id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX consent_refusals_customer ON consent_refusals (customer_id, id);

      CREATE TABLE link_codes (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        target_channel text NOT NULL,
        target_user_id text,
        redeem_on text NOT NULL CHECK (redeem_on IN ('issuer', 'target')),
        attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX link_codes_open ON link_codes (customer_id) WHERE used_at IS NULL;
      CREATE INDEX link_codes_target ON link_codes (target_channel, code_hash) WHERE used_at IS NULL;
      CREATE INDEX link_codes_sent ON link_codes (target_channel, target_user_id, created_at);

      CREATE TABLE link_code_failures (
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX link_code_failures_customer ON link_code_failures (customer_id, at);

      CREATE TABLE customer_links (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        absorbed_customer_id uuid NOT NULL,
        how text NOT NULL CHECK (how IN ('code', 'agent')),
        actor text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX customer_links_customer ON customer_links (customer_id);

      CREATE TABLE notify_requests (
        key_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
        status integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key_id, idempotency_key)
      );
    `,
  },
  {
    // Issue 7, the customer's data (src/privacy): requests customers make in conversation ("delete my data") for an
    // admin; the audit of every erasure, without identifiers; handoff contexts rewritten to version 2, which carries
    // neither the channel's address nor the customer's raw identity (src/handoff/context.ts).
    id: '0007-privacy',
    sql: `
      CREATE TABLE data_requests (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('export', 'erase')),
        customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
        source text NOT NULL CHECK (source IN ('conversation', 'admin')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        done_by text
      );
      CREATE INDEX data_requests_open ON data_requests (created_at) WHERE status = 'open';
      CREATE INDEX data_requests_customer ON data_requests (customer_id);

      CREATE TABLE erasure_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        requested_by text NOT NULL,
        data_request_id uuid,
        counts jsonb NOT NULL
      );

      UPDATE handoffs SET context = jsonb_set(
        jsonb_set(context #- '{customer,identities}', '{channel}', jsonb_build_object('id', context -> 'channel' -> 'id')),
        '{version}', '2')
      WHERE context ->> 'version' = '1';

      CREATE INDEX messages_created ON messages (created_at);
    `,
  },
  {
    // Voice of the customer (src/analytics): one row per turn, and the one rating a conversation may give. Rows
    // carry the pseudonymous customer id and no channel identity or text; erasing the customer removes them.
    id: '0008-analytics',
    sql: `
      CREATE TABLE analytics_turns (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        channel text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('start', 'message')),
        at timestamptz NOT NULL DEFAULT now(),
        day date NOT NULL,
        flows text[] NOT NULL DEFAULT '{}',
        flow text,
        step text,
        mode text NOT NULL CHECK (mode IN ('bot', 'human')),
        outcome text NOT NULL,
        replies integer NOT NULL,
        duration_ms integer NOT NULL
      );
      CREATE INDEX analytics_turns_at ON analytics_turns (at);
      CREATE INDEX analytics_turns_conversation ON analytics_turns (conversation_id, id);
      CREATE INDEX analytics_turns_customer ON analytics_turns (customer_id);

      CREATE TABLE conversation_ratings (
        conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        channel text NOT NULL,
        flow text,
        handoff_id uuid,
        asked_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        rating smallint CHECK (rating BETWEEN 1 AND 5)
      );
      CREATE INDEX conversation_ratings_closed ON conversation_ratings (closed_at);
      CREATE INDEX conversation_ratings_customer ON conversation_ratings (customer_id);
    `,
  },
  {
    // Issue 14: a reply carries the channel's id of the customer's message it answers (Bot Framework sends it as
    // replyToId, so the Emulator and Teams place the reply under that message); null for messages Parley started.
    // Kept on the reply so the outbox reads no other row to send it. Replies still waiting get theirs now.
    id: '0009-reply-to-external-id',
    sql: `
      ALTER TABLE messages ADD COLUMN reply_to_external_id text;
      UPDATE messages AS o SET reply_to_external_id = i.external_id FROM messages AS i
        WHERE o.in_reply_to = i.id AND o.direction = 'out' AND o.status = 'pending' AND i.channel = o.channel;
    `,
  },
  {
    // Issue 14: an agent may add a number Parley has never seen to a customer on their word alone; customer_links
    // records it (`agent-word`, which channel, no identity) beside the links proved by a code or made by merging.
    id: '0010-customer-links-agent-word',
    sql: `
      ALTER TABLE customer_links ALTER COLUMN absorbed_customer_id DROP NOT NULL;
      ALTER TABLE customer_links DROP CONSTRAINT customer_links_how_check;
      ALTER TABLE customer_links ADD CONSTRAINT customer_links_how_check CHECK (how IN ('code', 'agent', 'agent-word'));
      ALTER TABLE customer_links ADD COLUMN channel text;
    `,
  },
  {
    // Issue 15: STOP and START in the customer's own words ("please stop messaging me"), understood rather than
    // matched to a carrier keyword, are recorded as `words`.
    id: '0011-consent-how-words',
    sql: `
      ALTER TABLE consent_events DROP CONSTRAINT consent_events_how_check;
      ALTER TABLE consent_events ADD CONSTRAINT consent_events_how_check CHECK (how IN ('keyword', 'words', 'button', 'api', 'agent', 'implied-by-contact'));
    `,
  },
  {
    // Issue 16: Parley Studio. A release is the whole content of flows and knowledge, immutable; the newest one is
    // served. Drafts are the editors' unpublished changes (content NULL: the file is to be removed). A file's version
    // (studio_file_versions) only ever grows, across drafts and releases, so a stale save is always told apart.
    id: '0012-studio-releases',
    sql: `
      CREATE TABLE releases (
        id serial PRIMARY KEY,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL,
        message text NOT NULL,
        source text NOT NULL CHECK (source IN ('files', 'studio', 'restore')),
        files jsonb NOT NULL
      );
      CREATE TABLE studio_drafts (
        path text PRIMARY KEY,
        content text,
        version integer NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE studio_file_versions (
        path text PRIMARY KEY,
        version integer NOT NULL
      );
    `,
  },
  {
    // Issue 16: the content hash of a release's flows (FlowSet.version), which conversations record when a flow
    // starts, so a process that never served that release finds and loads it for them.
    id: '0013-release-flows-version',
    sql: `
      ALTER TABLE releases ADD COLUMN flows_version text;
      CREATE INDEX releases_flows_version ON releases (flows_version);
    `,
  },
  {
    // Issue 17, the agent workspace (src/agent-workspace): agents' private notes, kept apart from the messages table so
    // no reader of messages (web chat history, outbox, desks, context, model prompts) can pick one up; each agent's
    // read marker per handoff (unread counts are derived from it, nothing is written per customer message); console
    // agents' availability and last automatic assignment (round-robin); canned responses per queue; which of
    // Parley's own messages were handoff notices (shown as such in the agent's transcript).
    id: '0014-agent-workspace',
    sql: `
      CREATE TABLE handoff_notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        agent_id text NOT NULL,
        agent_name text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX handoff_notes_conversation ON handoff_notes (conversation_id, id);

      CREATE TABLE handoff_reads (
        handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
        agent_id text NOT NULL,
        last_message_id bigint NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (handoff_id, agent_id)
      );

      CREATE TABLE agent_availability (
        agent_id text PRIMARY KEY,
        available boolean NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        last_assigned_at timestamptz
      );

      CREATE TABLE canned_responses (
        id uuid PRIMARY KEY,
        queue text,
        shortcut text NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX canned_responses_shortcut ON canned_responses (COALESCE(queue, ''), shortcut);

      CREATE TABLE handoff_notices (
        message_id bigint PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
        handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE
      );
      CREATE INDEX handoffs_conversation ON handoffs (conversation_id, created_at);
    `,
  },
  {
    // Issue 17: the display name of the person who wrote an outbound message (an agent's reply), shown beside it in
    // the web chat. Null for the bot's messages.
    id: '0015-message-sender-name',
    sql: `
      ALTER TABLE messages ADD COLUMN sender_name text;
    `,
  },
  {
    // Issue 16: Parley Studio's map counts every step, not only where a turn left the conversation. Per turn, the
    // steps it ran (and the question it answered) as 'flow:step', and the handoff step that handed it over. Turns
    // recorded before have neither; their questions are still counted from flow and step.
    id: '0016-analytics-turn-steps',
    sql: `
      ALTER TABLE analytics_turns ADD COLUMN steps text[] NOT NULL DEFAULT '{}';
      ALTER TABLE analytics_turns ADD COLUMN handoff_step text;
    `,
  },
  {
    // Issue 16: the latest successful answer of each `call` endpoint, masked (src/integrations/recorded-responses.ts),
    // which the studio's preview gives a call step when the editor wrote no sample. One row per endpoint name.
    id: '0017-recorded-call-responses',
    sql: `
      CREATE TABLE recorded_call_responses (
        endpoint text PRIMARY KEY,
        data jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // Issue 17: when a handoff began waiting in its current queue (set by a transfer; null: since it was created). The
    // queue notices' back-off, the offer to leave a message and what the customer was told are counted from it.
    id: '0018-handoff-waiting-since',
    sql: `
      ALTER TABLE handoffs ADD COLUMN waiting_since timestamptz;
    `,
  },
  {
    // Issue 19: what the turn's parts keep about a conversation between its turns (the handoff triggers' signals),
    // read with the conversation by the turn's one read and written by its one commit; a fact past expires_at is
    // no longer read, and retention deletes it.
    id: '0019-conversation-facts',
    sql: `
      CREATE TABLE conversation_facts (
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        key text NOT NULL,
        value jsonb NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (conversation_id, key)
      );
      CREATE INDEX conversation_facts_expires ON conversation_facts (expires_at);
    `,
  },
  {
    // Issue 18: a release names each file's content by its SHA-256 and the content is stored once (release_contents),
    // so publishing one changed file of a large knowledge base stores that file, not the whole set again, and a
    // server process switching releases reads only the contents it does not hold.
    id: '0020-release-contents',
    sql: `
      CREATE TABLE release_contents (
        hash text PRIMARY KEY,
        content text NOT NULL
      );
      INSERT INTO release_contents (hash, content)
        SELECT DISTINCT encode(sha256(convert_to(f.value, 'UTF8')), 'hex'), f.value FROM releases, jsonb_each_text(releases.files) AS f
        ON CONFLICT (hash) DO NOTHING;
      UPDATE releases SET files = COALESCE(
        (SELECT jsonb_object_agg(f.key, encode(sha256(convert_to(f.value, 'UTF8')), 'hex')) FROM jsonb_each_text(releases.files) AS f), '{}'::jsonb);
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
