import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb, SqlStore, type Db } from '../../src/store/index.ts';

/**
 * The embedded database has no autovacuum: without statistics, the sent marks' prepared UPDATE kept the plan it
 * chose while `messages` was small and read the whole table for every batch of replies, slower with every message.
 */
describe('statistics on PGlite', () => {
  let db: Db;
  let store: SqlStore;
  beforeAll(async () => {
    db = await openPgliteDb(undefined, { statisticsEveryMs: 100 });
    store = new SqlStore(db);
    await store.migrate();
  });
  afterAll(async () => {
    await db?.close();
  });

  /** How PostgreSQL runs the prepared sent mark for these ids, as EXPLAIN shows it. */
  const markPlan = async (ids: string[]) => {
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%SET status = ''sent''%ANY%'`);
    expect(rows).toHaveLength(1);
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${rows[0]!.name}('{${ids.join(',')}}')`);
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  it('marks replies sent without reading the whole messages table once it has grown', async () => {
    const address = { channel: 'web', conversationId: 'grows', userId: 'grows-user' };
    const customer = await store.resolveCustomer('web', address.userId);
    const { conversation } = await store.resolveConversation(address, customer.id);
    const turn = async (n: number) => {
      const accepted = await store.acceptInbound({ address, externalId: `m${n}`, text: `question ${n}`, receivedAt: new Date() });
      const committed = await store.commitTurn({
        conversationId: conversation.id, expectedVersion: accepted!.conversation.version, state: { vars: {} }, mode: 'bot',
        inboundId: accepted!.inbound.id, replies: [{ text: `answer ${n}` }], writes: [],
      });
      return committed.replies.map((reply) => reply.id);
    };
    // Marked in batches while the table is small: the statement's plan is chosen now.
    for (let batch = 0; batch < 8; batch++) {
      const ids: string[] = [];
      for (let n = batch * 8; n < batch * 8 + 8; n++) ids.push(...(await turn(n)));
      expect(await store.markAllSent(ids)).toBe(8);
    }
    for (let n = 64; n < 600; n++) await turn(n);
    // The statistics of the grown table are gathered within a check or two.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const analysed = await db.query(`SELECT 1 FROM pg_stat_user_tables WHERE relname = 'messages' AND n_mod_since_analyze < 100`);
      if (analysed.rowCount === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ids = await turn(600);
    expect(await markPlan(ids)).not.toMatch(/Seq Scan on messages/);
    expect(await store.markAllSent(ids)).toBe(1);
    const reply = (await store.repliesTo((await store.answeredInbound('web', 'm600'))!.id))[0]!;
    expect(reply.status).toBe('sent');
  }, 60_000);
});
