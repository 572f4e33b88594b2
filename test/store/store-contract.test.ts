import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isParleyError, ParleyError } from '../../src/core/errors.ts';
import type { Address, InboundMessage } from '../../src/core/message.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { openMigratedTestDb, seedPgliteDataDir } from '../support/pglite-template.ts';
import { connectDataDir } from '../../src/store/data-dir-client.ts';
import { serveDataDir, type DataDirServer } from '../../src/store/data-dir-server.ts';
import {
  migrations,
  openPgliteDb,
  openPostgresDb,
  openStore,
  runMigrations,
  SqlStore,
  TURN_CUSTOMER,
  type Db,
} from '../../src/store/index.ts';
import { sqlOf } from '../support/sql.ts';

const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432';

/** What the contract needs from a database under test. */
interface ContractTarget {
  /** Opens the database the whole suite shares. */
  open(): Promise<Db>;
  /** Another handle on the same database, as a second Parley process would hold; closed by the suite. */
  peer(db: Db): Promise<Db>;
  /** Removes whatever `open` created. */
  teardown(): Promise<void>;
}

function address(conversationId = 'conv-1', userId = 'user-1', channel = 'web'): Address {
  return { channel, conversationId, userId };
}

function inbound(externalId: string, text: string, to: Address = address()): InboundMessage {
  return { address: to, externalId, text, receivedAt: new Date() };
}

async function expectCode(promise: Promise<unknown>, code: ParleyError['code']): Promise<ParleyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isParleyError(error, code), `expected ParleyError ${code}, got ${String(error)}`).toBe(true);
  return error as ParleyError;
}

async function count(db: Db, table: string): Promise<number> {
  const result = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0]?.n);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function storeContract(name: string, target: ContractTarget): void {
  describe(`Store contract on ${name}`, () => {
    let db: Db;
    let store: SqlStore;
    const peers: Db[] = [];

    async function peerStore(): Promise<SqlStore> {
      const other = await target.peer(db);
      peers.push(other);
      return new SqlStore(other);
    }

    async function resetSchema(): Promise<void> {
      await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    }

    async function newConversation(conversationId = 'conv-1', userId = 'user-1') {
      const customer = await store.resolveCustomer('web', userId);
      const { conversation } = await store.resolveConversation(address(conversationId, userId), customer.id);
      return conversation;
    }

    /** Every row gone, the schema kept: migrating anew before each test was most of this file's time. */
    async function emptyTables(): Promise<void> {
      const tables = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
      if (tables.rows.length > 0) await db.query(`TRUNCATE ${tables.rows.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY CASCADE`);
    }

    beforeAll(async () => {
      db = await target.open();
      await resetSchema();
      await new SqlStore(db).migrate();
    });

    afterAll(async () => {
      for (const other of peers) await other.close();
      await db?.close();
      await target.teardown();
    });

    beforeEach(async () => {
      await emptyTables();
      store = new SqlStore(db);
    });

    describe('migrations', () => {
      it('records every migration once and applies nothing on a second run', async () => {
        const recorded = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
        expect(recorded.rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
        const customer = await store.resolveCustomer('web', 'u1');
        expect(await runMigrations(db)).toEqual([]);
        expect((await store.resolveCustomer('web', 'u1')).id).toBe(customer.id);
      });

      it('is safe when two processes migrate an empty database at once', async () => {
        await resetSchema();
        const other = await peerStore();
        const results = await Promise.all([runMigrations(db), runMigrations(sqlOf(other)), runMigrations(db)]);
        const applied = results.flat();
        expect(applied.sort()).toEqual(migrations.map((m) => m.id).sort());
        expect(results.filter((r) => r.length > 0)).toHaveLength(1);
        expect(await count(db, 'schema_migrations')).toBe(migrations.length);
        await expect(store.resolveCustomer('web', 'after-race')).resolves.toMatchObject({ displayName: null });
      });
    });

    describe('customers', () => {
      it('resolves the same identity to the same customer, and learns the name once', async () => {
        const first = await store.resolveCustomer('web', 'u1');
        expect(first.displayName).toBeNull();
        expect(first.createdAt).toBeInstanceOf(Date);
        const named = await store.resolveCustomer('web', 'u1', { name: 'Ada' });
        expect(named).toMatchObject({ id: first.id, displayName: 'Ada' });
        const renamed = await store.resolveCustomer('web', 'u1', { name: 'Someone else' });
        expect(renamed.displayName).toBe('Ada');
        const otherChannel = await store.resolveCustomer('slack', 'u1');
        expect(otherChannel.id).not.toBe(first.id);
        expect(await count(db, 'customers')).toBe(2);
      });

      it('creates one customer when ten resolve the same new identity at once', async () => {
        const other = await peerStore();
        const all = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).resolveCustomer('whatsapp', '+15550001', { name: 'Bo' })),
        );
        expect(new Set(all.map((c) => c.id)).size).toBe(1);
        expect(await count(db, 'customers')).toBe(1);
        expect(await count(db, 'identities')).toBe(1);
      });
    });

    describe('conversations', () => {
      it('creates a conversation on first sight and finds the same one afterwards', async () => {
        const customer = await store.resolveCustomer('web', 'user-1');
        const first = await store.resolveConversation(address(), customer.id);
        expect(first.created).toBe(true);
        expect(first.conversation).toMatchObject({
          channel: 'web',
          externalId: 'conv-1',
          customerId: customer.id,
          address: address(),
          mode: 'bot',
          state: { vars: {} },
          version: 0,
          locale: null,
        });
        const again = await store.resolveConversation(address(), customer.id);
        expect(again).toMatchObject({ created: false, conversation: { id: first.conversation.id } });
        expect((await store.getConversation(first.conversation.id))?.externalId).toBe('conv-1');
        expect((await store.findConversation('web', 'conv-1'))?.id).toBe(first.conversation.id);
        expect(await store.findConversation('web', 'conv-2')).toBeNull();
        expect(await store.getConversation('00000000-0000-4000-8000-000000000000')).toBeNull();
        expect(await store.getConversation('not-a-uuid')).toBeNull();
      });

      it('creates one conversation when ten resolve the same new address at once', async () => {
        const customer = await store.resolveCustomer('web', 'user-1');
        const other = await peerStore();
        const all = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).resolveConversation(address(), customer.id)),
        );
        expect(new Set(all.map((r) => r.conversation.id)).size).toBe(1);
        expect(all.filter((r) => r.created)).toHaveLength(1);
        expect(await count(db, 'conversations')).toBe(1);
      });
    });

    describe('inbound messages', () => {
      it('stores a message once and answers a second delivery with the first one', async () => {
        const conversation = await newConversation();
        const message: InboundMessage = {
          ...inbound('wamid.1', 'hello'),
          attachments: [{ kind: 'image', url: 'https://example.test/a.png', mimeType: 'image/png' }],
          locale: 'de',
        };
        const first = await store.insertInbound(conversation.id, message);
        expect(first.duplicate).toBe(false);
        expect(first.message).toMatchObject({
          conversationId: conversation.id,
          direction: 'in',
          channel: 'web',
          externalId: 'wamid.1',
          text: 'hello',
          payload: null,
          buttons: [],
          attachments: message.attachments,
          status: 'received',
          inReplyTo: null,
          attempts: 0,
          sentAt: null,
        });
        expect(first.message.id).toMatch(/^\d+$/);
        const second = await store.insertInbound(conversation.id, { ...inbound('wamid.1', 'hello (redelivered)') });
        expect(second).toEqual({ duplicate: true, message: first.message });
        expect(await count(db, 'messages')).toBe(1);
        expect((await store.getConversation(conversation.id))?.locale).toBe('de');
      });

      it('stores one row when the same delivery arrives ten times at once', async () => {
        const conversation = await newConversation();
        const other = await peerStore();
        const all = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).insertInbound(conversation.id, inbound('dup-1', 'hi'))),
        );
        expect(all.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(all.map((r) => r.message.id)).size).toBe(1);
        expect(await count(db, 'messages')).toBe(1);
      });

      it('lists unprocessed inbound messages oldest first, and the conversations that have them', async () => {
        const a = await newConversation('conv-a', 'ua');
        const b = await newConversation('conv-b', 'ub');
        const c = await newConversation('conv-c', 'uc');
        await store.insertInbound(b.id, inbound('b1', 'first', address('conv-b', 'ub')));
        await store.insertInbound(a.id, inbound('a1', 'one', address('conv-a', 'ua')));
        await store.insertInbound(a.id, inbound('a2', 'two', address('conv-a', 'ua')));
        expect((await store.pendingInbound(a.id)).map((m) => m.text)).toEqual(['one', 'two']);
        expect(await store.pendingInbound(c.id)).toEqual([]);
        expect(await store.conversationsWithPendingInbound(10)).toEqual([b.id, a.id]);
        expect(await store.conversationsWithPendingInbound(1)).toEqual([b.id]);
      });
    });

    describe('commitTurn', () => {
      it('saves state, mode, replies and the processed inbound together', async () => {
        const conversation = await newConversation();
        const { message } = await store.insertInbound(conversation.id, inbound('m1', 'price?'));
        const state = { flow: 'pricing', step: 'ask-plan', vars: { plan: 'pro', seats: 3, vip: true, note: null } };
        const result = await store.commitTurn({
          conversationId: conversation.id,
          expectedVersion: 0,
          state,
          mode: 'human',
          inboundId: message.id,
          replies: [
            { text: 'Which plan?', buttons: [{ title: 'Pro', payload: 'plan:pro' }] },
            { text: 'A person will join.' },
          ],
        });
        expect(result.conversation).toMatchObject({ id: conversation.id, version: 1, mode: 'human', state });
        expect(result.replies.map((r) => [r.text, r.direction, r.status, r.inReplyTo, r.channel])).toEqual([
          ['Which plan?', 'out', 'pending', message.id, 'web'],
          ['A person will join.', 'out', 'pending', message.id, 'web'],
        ]);
        expect(result.replies[0]?.buttons).toEqual([{ title: 'Pro', payload: 'plan:pro' }]);
        expect(await store.getConversation(conversation.id)).toMatchObject({ version: 1, mode: 'human', state });
        expect(await store.pendingInbound(conversation.id)).toEqual([]);
        expect(await store.repliesTo(message.id)).toEqual(result.replies);

        const next = await store.commitTurn({ conversationId: conversation.id, expectedVersion: 1, state: { vars: {} }, inboundId: null, replies: [] });
        expect(next.conversation).toMatchObject({ version: 2, mode: 'human', state: { vars: {} } });
      });

      it('refuses a stale version with CONFLICT and changes nothing', async () => {
        const conversation = await newConversation();
        const { message } = await store.insertInbound(conversation.id, inbound('m1', 'hi'));
        await store.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: { n: 1 } }, inboundId: null, replies: [] });
        const error = await expectCode(
          store.commitTurn({
            conversationId: conversation.id,
            expectedVersion: 0,
            state: { vars: { n: 99 } },
            mode: 'human',
            inboundId: message.id,
            replies: [{ text: 'should not exist' }],
          }),
          'CONFLICT',
        );
        expect(error.status).toBe(409);
        expect(await store.getConversation(conversation.id)).toMatchObject({ version: 1, mode: 'bot', state: { vars: { n: 1 } } });
        expect((await store.pendingInbound(conversation.id)).map((m) => m.id)).toEqual([message.id]);
        expect(await store.repliesTo(message.id)).toEqual([]);
        expect(await count(db, 'messages')).toBe(1);
      });

      it('lets exactly one of two concurrent commits of the same version win', async () => {
        const conversation = await newConversation();
        const other = await peerStore();
        const outcomes = await Promise.allSettled(
          [store, other].map((s, i) =>
            s.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: { who: i } }, inboundId: null, replies: [{ text: `from ${i}` }] }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(isParleyError(lost[0]?.reason, 'CONFLICT')).toBe(true);
        expect((await store.getConversation(conversation.id))?.version).toBe(1);
        expect(await count(db, 'messages')).toBe(1);
      });

      it('rolls everything back when one step fails (inbound of another conversation)', async () => {
        const conversation = await newConversation('conv-a', 'ua');
        const elsewhere = await newConversation('conv-b', 'ub');
        const { message } = await store.insertInbound(elsewhere.id, inbound('b1', 'hi', address('conv-b', 'ub')));
        await expectCode(
          store.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: { x: 1 } }, inboundId: message.id, replies: [{ text: 'no' }] }),
          'NOT_FOUND',
        );
        expect(await store.getConversation(conversation.id)).toMatchObject({ version: 0, state: { vars: {} } });
        expect((await store.pendingInbound(elsewhere.id)).map((m) => m.id)).toEqual([message.id]);
        expect(await count(db, 'messages')).toBe(1);
      });
    });

    describe("the turn's one read and one write", () => {
      it('accepts a message in one statement: stored once, the conversation, its pending messages and the reads', async () => {
        expect(await store.acceptInbound(inbound('m0', 'hello'))).toBeNull();
        const conversation = await newConversation();
        const first = await store.acceptInbound({ ...inbound('m1', 'hello'), locale: 'de' });
        expect(first).toMatchObject({ duplicate: false, replies: [], conversation: { id: conversation.id, version: 0, locale: 'de' } });
        expect(first?.inbound).toMatchObject({ conversationId: conversation.id, direction: 'in', externalId: 'm1', text: 'hello', status: 'received' });
        expect(first?.inbound.createdAt).toBeInstanceOf(Date);
        expect(first?.pending.map((m) => m.id)).toEqual([first?.inbound.id]);
        expect(first?.reads).toEqual({ consent: {}, lastChannel: null, openRating: null, wroteBefore: false, facts: {} });

        const second = await store.acceptInbound(inbound('m2', 'and?'));
        expect(second?.pending.map((m) => m.externalId)).toEqual(['m1', 'm2']);
        expect(second?.reads.wroteBefore).toBe(true);
        const again = await store.acceptInbound(inbound('m1', 'hello'));
        expect(again).toMatchObject({ duplicate: true, inbound: { id: first?.inbound.id } });
        expect(await count(db, 'messages')).toBe(2);

        const committed = await store.commitTurn({
          conversationId: conversation.id, expectedVersion: 0, state: { vars: {} }, inboundId: first!.inbound.id, replies: [{ text: 'Hallo!' }, { text: 'Wie geht es?' }],
        });
        const answered = await store.acceptInbound(inbound('m1', 'hello'));
        expect(answered).toMatchObject({ duplicate: true, inbound: { status: 'processed' } });
        expect(answered?.replies).toEqual(committed.replies);
        expect(answered?.pending.map((m) => m.externalId)).toEqual(['m2']);
      });

      it("commits the parts' writes with the turn, and none of them when the commit is refused", async () => {
        const conversation = await newConversation();
        const accepted = (await store.acceptInbound(inbound('m1', 'hi')))!;
        const writes = [
          { kind: 'last-channel' as const, channel: 'web' },
          { kind: 'fact' as const, key: 'part.kept', value: { n: 1 } },
          { kind: 'fact' as const, key: 'part.gone', value: { n: 0 } },
          { kind: 'fact' as const, key: 'part.gone', value: null },
          {
            kind: 'insert' as const, table: 'consent_events',
            row: { customer_id: TURN_CUSTOMER, channel: 'web', purpose: 'service', state: 'granted', how: 'implied-by-contact', message_id: accepted.inbound.id },
            casts: { message_id: 'bigint' },
          },
        ];
        await expectCode(
          store.commitTurn({ conversationId: conversation.id, expectedVersion: 7, state: { vars: {} }, inboundId: accepted.inbound.id, replies: [], writes }),
          'CONFLICT',
        );
        expect(await count(db, 'consent_events')).toBe(0);
        expect(await count(db, 'conversation_facts')).toBe(0);

        await store.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: {} }, inboundId: accepted.inbound.id, replies: [], writes });
        const next = (await store.acceptInbound(inbound('m2', 'again')))!;
        expect(next.reads).toEqual({ consent: { service: 'granted' }, lastChannel: 'web', openRating: null, wroteBefore: true, facts: { 'part.kept': { n: 1 } } });
        expect((await store.loadTurn(conversation.id, next.inbound.id))?.reads).toEqual(next.reads);
        expect((await store.loadTurn(conversation.id, null))?.conversation).toMatchObject({ id: conversation.id, version: 1 });
      });

      it("keeps a turn's texts as written, quotes, backslashes and all", async () => {
        const conversation = await newConversation();
        const text = "it's \\ a $1 'quote'); DROP TABLE messages; -- \u00e9\n";
        const accepted = (await store.acceptInbound({ ...inbound('m1', text), locale: "de'x", profile: { name: "O'Brien" } }))!;
        expect(accepted.inbound.text).toBe(text);
        const committed = await store.commitTurn({
          conversationId: conversation.id, expectedVersion: 0, state: { vars: { said: text } }, inboundId: accepted.inbound.id, replies: [{ text: `You said: ${text}` }],
          writes: [{ kind: 'fact', key: "it's", value: text }],
        });
        expect(committed.replies.map((r) => r.text)).toEqual([`You said: ${text}`]);
        expect(committed.conversation.state.vars.said).toBe(text);
        const next = (await store.acceptInbound(inbound('m2', 'and?')))!;
        expect(next.reads.facts).toEqual({ "it's": text });
        expect((await store.transcript(conversation.id)).map((m) => m.text)).toEqual([text, `You said: ${text}`, 'and?']);
      });

      it('goes on when another process migrates the tables a turn reads and writes (a column added)', async () => {
        const conversation = await newConversation();
        const turn = async (externalId: string, version: number) => {
          const accepted = (await store.acceptInbound(inbound(externalId, 'hi')))!;
          const committed = await store.commitTurn({ conversationId: conversation.id, expectedVersion: version, state: { vars: {} }, inboundId: accepted.inbound.id, replies: [{ text: 'hello' }] });
          return { accepted, committed };
        };
        await turn('m1', 0);
        const other = await target.peer(db);
        peers.push(other);
        const tables = ['conversations', 'messages', 'customers', 'identities'];
        for (const table of tables) await other.query(`ALTER TABLE ${table} ADD COLUMN added_later text`);
        try {
          const { accepted, committed } = await turn('m2', 1);
          expect(accepted.pending.map((m) => m.externalId)).toEqual(['m2']);
          expect(committed.conversation.version).toBe(2);
          expect(committed.replies.map((r) => r.text)).toEqual(['hello']);
        } finally {
          for (const table of tables) await other.query(`ALTER TABLE ${table} DROP COLUMN added_later`);
        }
      });

      it('forgets a fact once it has expired', async () => {
        const conversation = await newConversation();
        await store.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: {} }, inboundId: null, replies: [], writes: [{ kind: 'fact', key: 'brief', value: 1, ttlSeconds: 1 }] });
        expect((await store.loadTurn(conversation.id, null))?.reads.facts).toEqual({ brief: 1 });
        await sleep(1100);
        expect((await store.loadTurn(conversation.id, null))?.reads.facts).toEqual({});
      });

      it('marks a turn\'s replies sent at once', async () => {
        const conversation = await newConversation();
        const { replies } = await store.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { vars: {} }, inboundId: null, replies: [{ text: 'a' }, { text: 'b' }] });
        expect(await store.markAllSent(replies.map((r) => r.id))).toBe(2);
        expect((await store.transcript(conversation.id)).map((m) => m.status)).toEqual(['sent', 'sent']);
      });
    });

    describe('outbound messages and the transcript', () => {
      it('stores a message Parley starts as pending, not in reply to anything', async () => {
        const conversation = await newConversation();
        const sent = await store.insertOutbound(conversation.id, { text: 'Your order shipped', attachments: [{ kind: 'file', url: 'https://example.test/i.pdf' }] });
        expect(sent).toMatchObject({ direction: 'out', status: 'pending', inReplyTo: null, channel: 'web', attempts: 0, lastError: null });
        expect(sent.attachments).toEqual([{ kind: 'file', url: 'https://example.test/i.pdf' }]);
        await expectCode(store.insertOutbound('00000000-0000-4000-8000-000000000000', { text: 'x' }), 'NOT_FOUND');
      });

      it('returns both directions in order, and pages forward with afterId', async () => {
        const conversation = await newConversation();
        const other = await newConversation('conv-2', 'user-2');
        const texts: string[] = [];
        for (let i = 0; i < 3; i++) {
          const { message } = await store.insertInbound(conversation.id, inbound(`in-${i}`, `q${i}`));
          await store.commitTurn({ conversationId: conversation.id, expectedVersion: i, state: { vars: {} }, inboundId: message.id, replies: [{ text: `a${i}` }] });
          await store.insertInbound(other.id, inbound(`other-${i}`, 'noise', address('conv-2', 'user-2')));
          texts.push(`q${i}`, `a${i}`);
        }
        const all = await store.transcript(conversation.id);
        expect(all.map((m) => m.text)).toEqual(texts);
        expect(all.map((m) => m.direction)).toEqual(['in', 'out', 'in', 'out', 'in', 'out']);
        const ids = all.map((m) => BigInt(m.id));
        expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));

        const page1 = await store.transcript(conversation.id, { limit: 4 });
        const page2 = await store.transcript(conversation.id, { afterId: page1.at(-1)?.id, limit: 4 });
        expect(page1.map((m) => m.text)).toEqual(texts.slice(0, 4));
        expect(page2.map((m) => m.text)).toEqual(texts.slice(4));
        expect(await store.transcript(conversation.id, { afterId: page2.at(-1)?.id })).toEqual([]);
        const latest = await store.transcript(conversation.id, { limit: 3, latest: true });
        expect(latest.map((m) => m.text)).toEqual(texts.slice(-3));
      });

      it('marks a message sent with the channel id, and it leaves the pending queue', async () => {
        const conversation = await newConversation();
        const message = await store.insertOutbound(conversation.id, { text: 'hi' });
        const later = new Date(Date.now() + 60_000);
        expect((await store.pendingOutbound(later, 10)).map((m) => m.id)).toEqual([message.id]);
        await store.markSent(message.id, 'wamid.out.1');
        const [stored] = await store.transcript(conversation.id);
        expect(stored).toMatchObject({ status: 'sent', externalId: 'wamid.out.1' });
        expect(stored?.sentAt).toBeInstanceOf(Date);
        expect(await store.pendingOutbound(later, 10)).toEqual([]);
        await expectCode(store.markSent('999999'), 'NOT_FOUND');
      });

      it('counts failed attempts, keeps retrying until final, and never fails a sent message', async () => {
        const conversation = await newConversation();
        const later = new Date(Date.now() + 60_000);
        const flaky = await store.insertOutbound(conversation.id, { text: 'flaky' });
        await store.markAttemptFailed(flaky.id, 'HTTP 503', false);
        expect((await store.pendingOutbound(later, 10))[0]).toMatchObject({ id: flaky.id, status: 'pending', attempts: 1, lastError: 'HTTP 503' });
        await store.markAttemptFailed(flaky.id, 'HTTP 400 bad recipient', true);
        const [failed] = await store.transcript(conversation.id);
        expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastError: 'HTTP 400 bad recipient' });
        expect(await store.pendingOutbound(later, 10)).toEqual([]);

        const delivered = await store.insertOutbound(conversation.id, { text: 'ok' });
        await store.markSent(delivered.id);
        await store.markAttemptFailed(delivered.id, 'late timeout', true);
        expect((await store.transcript(conversation.id))[1]).toMatchObject({ status: 'sent', attempts: 1 });
      });

      it('lists pending outbound messages created before a time, oldest first, up to a limit', async () => {
        const conversation = await newConversation();
        const made = [];
        for (const text of ['one', 'two', 'three']) made.push(await store.insertOutbound(conversation.id, { text }));
        const later = new Date(Date.now() + 60_000);
        expect((await store.pendingOutbound(later, 10)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
        expect((await store.pendingOutbound(later, 2)).map((m) => m.text)).toEqual(['one', 'two']);
        expect(await store.pendingOutbound(new Date(Date.now() - 60_000), 10)).toEqual([]);
        expect(made.every((m) => m.createdAt.getTime() <= Date.now() + 1000)).toBe(true);
      });

      it('records delivery statuses by the channel id, never backwards; failed fails the message with its reason', async () => {
        const conversation = await newConversation('conv-status');
        const read = await store.insertOutbound(conversation.id, { text: 'read' });
        const lost = await store.insertOutbound(conversation.id, { text: 'lost' });
        await store.markSent(read.id, 'wamid.status.1');
        await store.markSent(lost.id, 'wamid.status.2');
        expect(await store.recordDeliveryStatus('web', 'wamid.status.1', 'read')).toBe(true);
        expect(await store.recordDeliveryStatus('web', 'wamid.status.1', 'delivered')).toBe(true);
        expect(await store.recordDeliveryStatus('web', 'wamid.status.2', 'failed', '131026: Message undeliverable')).toBe(true);
        expect(await store.recordDeliveryStatus('web', 'wamid.unknown', 'read')).toBe(false);
        expect(await store.recordDeliveryStatus('slack', 'wamid.status.1', 'read')).toBe(false);
        const [first, second] = await store.transcript(conversation.id);
        expect(first).toMatchObject({ status: 'sent', deliveryStatus: 'read' });
        expect(second).toMatchObject({ status: 'failed', deliveryStatus: 'failed', lastError: '131026: Message undeliverable' });
      });

      it("tells when the customer last wrote in a conversation", async () => {
        expect(await store.lastInboundAt('web', 'conv-never')).toBeNull();
        const conversation = await newConversation('conv-last');
        await store.insertOutbound(conversation.id, { text: 'we start' });
        expect(await store.lastInboundAt('web', 'conv-last')).toBeNull();
        const before = Date.now();
        await store.insertInbound(conversation.id, inbound('last-1', 'hello', address('conv-last')));
        const at = await store.lastInboundAt('web', 'conv-last');
        expect(at).toBeInstanceOf(Date);
        expect(Math.abs(at!.getTime() - before)).toBeLessThan(5_000);
      });
    });

    describe('database', () => {
      it('answers ping and reports its kind', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        expect(['postgres', 'pglite']).toContain(sqlOf(store).kind);
      });

      it('rolls back a failed transaction without taking a concurrent query down with it', async () => {
        const failing = db.transaction(async (tx) => {
          await tx.query(`INSERT INTO customers (display_name) VALUES ('rolled back')`);
          await sleep(30);
          throw new Error('boom');
        });
        await sleep(5);
        const concurrent = db.query(`INSERT INTO customers (display_name) VALUES ('kept')`);
        await expect(failing).rejects.toThrow('boom');
        await concurrent;
        const names = await db.query<{ display_name: string }>('SELECT display_name FROM customers');
        expect(names.rows.map((r) => r.display_name)).toEqual(['kept']);
        expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT 7 AS n')).rows[0]?.n)).toBe(7);
      });
    });
  });
}

// PGlite: one in-memory instance (starting one takes seconds); the schema is reset before every test.
storeContract('PGlite (in memory)', {
  open: () => openMigratedTestDb(),
  // PGlite is one connection: a second "process" shares it, which is what the transaction lock must survive.
  peer: async (db) => ({ kind: db.kind, query: (sql, params) => db.query(sql, params), transaction: (fn) => db.transaction(fn), close: async () => {} }),
  teardown: async () => {},
});

// A command's Db while a server holds the embedded database: every statement through the server's socket
// (src/store/data-dir-socket.ts); the peer is the server's own handle, used meanwhile.
let served: { db: Db; dir: string; server: DataDirServer } | undefined;
storeContract('PGlite through the data directory socket', {
  open: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-socket-'));
    const db = await openMigratedTestDb();
    const server = await serveDataDir({ dataDir: dir, db, logger: createLogger({ level: 'silent', redact: true }) });
    served = { db, dir, server: server! };
    return (await connectDataDir(dir))!;
  },
  peer: async () => ({ ...served!.db, close: async () => {} }),
  teardown: async () => {
    await served?.server.close();
    await served?.db.close();
    if (served) rmSync(served.dir, { recursive: true, force: true });
  },
});

const databaseName = `parley_test_${randomBytes(6).toString('hex')}`;
const databaseUrl = `${POSTGRES_URL}/${databaseName}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

storeContract('PostgreSQL', {
  open: async () => {
    await admin((client) => client.query(`CREATE DATABASE ${databaseName}`));
    return openPostgresDb(databaseUrl);
  },
  peer: async () => openPostgresDb(databaseUrl),
  teardown: async () => {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
  },
});

describe('openStore', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-store-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a PGlite file database across close and reopen', { timeout: 120_000 }, async () => {
    const first = await openStore({ dataDir: dir });
    expect(sqlOf(first).kind).toBe('pglite');
    const customer = await first.resolveCustomer('web', 'u1', { name: 'Ada' });
    const { conversation } = await first.resolveConversation(address(), customer.id);
    const { message } = await first.insertInbound(conversation.id, inbound('m1', 'still here?'));
    await first.commitTurn({ conversationId: conversation.id, expectedVersion: 0, state: { flow: 'f', step: 's', vars: { a: 1 } }, inboundId: message.id, replies: [{ text: 'yes' }] });
    await first.close();
    expect((await stat(path.join(dir, 'pgdata'))).isDirectory()).toBe(true);

    const second = await openStore({ dataDir: dir });
    try {
      expect(await second.resolveCustomer('web', 'u1')).toMatchObject({ id: customer.id, displayName: 'Ada' });
      expect(await second.getConversation(conversation.id)).toMatchObject({ version: 1, state: { flow: 'f', step: 's', vars: { a: 1 } } });
      expect((await second.transcript(conversation.id)).map((m) => [m.text, m.status])).toEqual([
        ['still here?', 'processed'],
        ['yes', 'pending'],
      ]);
    } finally {
      await second.close();
    }
  });

  it('opens PostgreSQL when a database URL is given', async () => {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
    try {
      const store = await openStore({ databaseUrl: `${POSTGRES_URL}/${name}`, dataDir: dir });
      try {
        expect(sqlOf(store).kind).toBe('postgres');
        expect((await store.resolveCustomer('web', 'u1')).id).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await store.close();
      }
    } finally {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('reports an unreachable PostgreSQL as DATABASE_UNAVAILABLE in one line, without the password', async () => {
    const error = await expectCode(openStore({ databaseUrl: 'postgresql://parley:s3cret@127.0.0.1:1/parley', dataDir: dir }), 'DATABASE_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('\n');
  });
});

describe('the embedded database directory', () => {
  it('refuses a second opener while the first has it, and is free again once closed', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-claim-'));
    try {
      // What is under test is the claim, not a first start: an initialized directory spares initdb's seconds of CPU.
      await seedPgliteDataDir(dir);
      const first = await openPgliteDb(dir);
      const second = await openPgliteDb(dir).catch((error: unknown) => error);
      expect(isParleyError(second, 'DATABASE_UNAVAILABLE')).toBe(true);
      expect((second as Error).message).toContain(`pid ${process.pid}`);
      await first.close();
      const again = await openPgliteDb(dir);
      expect((await again.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
