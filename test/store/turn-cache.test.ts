import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Address, InboundMessage } from '../../src/core/message.ts';
import { SqlStore, type Db } from '../../src/store/index.ts';
import { mayChangeTurnReads } from '../../src/store/turn-cache.ts';
import type { AcceptedInbound, CommitTurn } from '../../src/store/types.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';

/**
 * On PGlite a turn keeps what the next turn of its conversation reads (src/store/turn-cache.ts). Whatever it keeps,
 * the next accept must return what the database holds: each test compares it with a fresh read (`loadTurn`).
 */
describe('the turn read kept between turns (PGlite)', () => {
  let db: Db;
  let store: SqlStore;

  const address = (conversationId = 'conv-1', userId = 'user-1'): Address => ({ channel: 'web', conversationId, userId });
  const inbound = (externalId: string, to: Address = address()): InboundMessage => ({ address: to, externalId, text: `text of ${externalId}`, receivedAt: new Date() });

  async function conversationOf(to: Address, customerId?: string) {
    const customer = customerId ?? (await store.resolveCustomer('web', to.userId)).id;
    return (await store.resolveConversation(to, customer)).conversation;
  }

  /** A turn: accepted, then committed with `writes`; what the accept returned and the commit's conversation. */
  async function turn(externalId: string, to: Address = address(), writes: CommitTurn['writes'] = []) {
    const accepted = (await store.acceptInbound(inbound(externalId, to)))!;
    const committed = await store.commitTurn({
      conversationId: accepted.conversation.id, expectedVersion: accepted.conversation.version, state: { vars: { last: externalId } },
      inboundId: accepted.inbound.id, replies: [{ text: `answer to ${externalId}` }], writes,
    });
    return { accepted, committed };
  }

  /** The accept's conversation and reads are the database's. */
  async function expectAsStored(accepted: AcceptedInbound) {
    const stored = (await store.loadTurn(accepted.conversation.id, accepted.inbound.id))!;
    expect(accepted.conversation).toEqual(stored.conversation);
    expect(accepted.reads).toEqual(stored.reads);
    expect(accepted.pending).toEqual(await store.pendingInbound(accepted.conversation.id));
  }

  beforeAll(async () => {
    db = await openMigratedTestDb();
  });

  afterAll(async () => {
    await db?.close();
  });

  beforeEach(async () => {
    const tables = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
    await db.query(`TRUNCATE ${tables.rows.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY CASCADE`);
    store = new SqlStore(db);
  });

  it("hands the next turn what the last one committed: state, version, facts, the message alone waiting", async () => {
    await conversationOf(address());
    await turn('m1', address(), [{ kind: 'last-channel', channel: 'web' }]);
    await turn('m2', address(), [{ kind: 'fact', key: 'part.kept', value: { n: 2, list: ['a', "b'c"] } }, { kind: 'fact', key: 'part.gone', value: { n: 0 } }]);
    const { accepted: third } = await turn('m3', address(), [{ kind: 'fact', key: 'part.gone', value: null }]);
    expect(third.reads).toMatchObject({ lastChannel: 'web', wroteBefore: true, facts: { 'part.kept': { n: 2, list: ['a', "b'c"] }, 'part.gone': { n: 0 } } });
    expect(third.conversation).toMatchObject({ version: 2, state: { vars: { last: 'm2' } } });
    const fourth = (await store.acceptInbound(inbound('m4')))!;
    expect(fourth.reads.facts).toEqual({ 'part.kept': { n: 2, list: ['a', "b'c"] } });
    expect(fourth.pending.map((m) => m.externalId)).toEqual(['m4']);
    await expectAsStored(fourth);
  });

  it('reads afresh what was changed outside a turn', async () => {
    const conversation = await conversationOf(address());
    await turn('m1');
    await turn('m2', address(), [{ kind: 'fact', key: 'part.kept', value: 1 }]);
    await db.query(`UPDATE conversations SET mode = 'human', version = version + 1 WHERE id = $1`, [conversation.id]);
    await db.query(`DELETE FROM conversation_facts WHERE conversation_id = $1`, [conversation.id]);
    const next = (await store.acceptInbound(inbound('m3')))!;
    expect(next.conversation).toMatchObject({ mode: 'human', version: 3 });
    expect(next.reads.facts).toEqual({});
    await expectAsStored(next);
  });

  it("reads afresh the customer's last channel when a turn in another of their conversations changed it", async () => {
    const first = address('conv-a');
    const second = address('conv-b');
    const { customerId } = await conversationOf(first);
    await conversationOf(second, customerId);
    await turn('a1', first, [{ kind: 'last-channel', channel: 'web' }]);
    await turn('a2', first);
    await turn('b1', second, [{ kind: 'last-channel', channel: 'whatsapp' }]);
    const next = (await store.acceptInbound(inbound('a3', first)))!;
    expect(next.reads.lastChannel).toBe('whatsapp');
    await expectAsStored(next);
  });

  it('hands every message still waiting to the next accept after a turn failed', async () => {
    const conversation = await conversationOf(address());
    await turn('m1');
    await turn('m2');
    // m3's turn fails before its commit: m3 stays waiting.
    await store.acceptInbound(inbound('m3'));
    const fourth = (await store.acceptInbound(inbound('m4')))!;
    expect(fourth.pending.map((m) => m.externalId)).toEqual(['m3', 'm4']);
    const [m3] = fourth.pending;
    await store.commitTurn({ conversationId: conversation.id, expectedVersion: 2, state: { vars: {} }, inboundId: m3!.id, replies: [] });
    const fifth = (await store.acceptInbound(inbound('m5')))!;
    expect(fifth.pending.map((m) => m.externalId)).toEqual(['m4', 'm5']);
    await expectAsStored(fifth);
  });

  it('still knows a redelivered message, and its replies', async () => {
    await conversationOf(address());
    await turn('m1');
    const { committed } = await turn('m2');
    const again = (await store.acceptInbound(inbound('m2')))!;
    expect(again).toMatchObject({ duplicate: true, inbound: { externalId: 'm2', status: 'processed' } });
    expect(again.replies).toEqual(committed.replies);
    const next = (await store.acceptInbound(inbound('m3')))!;
    expect(next).toMatchObject({ duplicate: false, conversation: { version: 2 } });
    await expectAsStored(next);
  });

  it('takes another sender in the same conversation through the full read', async () => {
    await conversationOf(address('group', 'user-1'));
    await turn('m1', address('group', 'user-1'));
    await turn('m2', address('group', 'user-1'));
    // Nobody knows user-2 on this channel yet: the accept finds no identity, as without a kept read.
    expect(await store.acceptInbound(inbound('m3', address('group', 'user-2')))).toBeNull();
  });

  it.each([
    ['SELECT * FROM conversations WHERE id = $1', false],
    ['  select 1;', false],
    ['ANALYZE public.messages', false],
    ['UPDATE handoffs SET last_notice_at = now() WHERE id = $1', false],
    ['INSERT INTO kb_gaps (question) VALUES ($1)', false],
    ["UPDATE conversations SET mode = 'human' WHERE id = $1", true],
    ['INSERT INTO consent_events (customer_id) VALUES ($1)', true],
    ['DELETE FROM handoffs WHERE id = $1', true],
    ['WITH x AS (SELECT 1) UPDATE handoffs SET queue = $1', true],
    ['SELECT 1; DELETE FROM customers', true],
    ['TRUNCATE messages', true],
  ])('a statement other than a turn statement may change what a turn reads: %s → %s', (sql, changes) => {
    expect(mayChangeTurnReads(sql)).toBe(changes);
  });
});
