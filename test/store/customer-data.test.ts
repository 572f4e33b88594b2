/**
 * Every table that names a customer is erased, exported and merged: the schema after the migrations, read from the
 * database, against the modules' declarations (src/customer-data.ts); and each module's repository, in its part of an
 * export, a merge and an erase, reaches every table it declares as its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_DATA } from '../../src/customer-data.ts';
import { customerDataProblems } from '../../src/store/customer-data-check.ts';
import { loadSubject, type ErasedRows } from '../../src/store/customer-rows.ts';
import { openPgliteDb, runMigrations, SqlStore, type Db, type Queryable } from '../../src/store/index.ts';

/** Runs `fn` in a transaction that is rolled back, with the text of every statement it sent. */
async function rolledBack(db: Db, fn: (tx: Queryable, sent: string[]) => Promise<void>): Promise<string[]> {
  const sent: string[] = [];
  const rollBack = new Error('roll back');
  await db.transaction(async (tx) => {
    const recording: Queryable = { query: (sql, params) => { sent.push(sql); return tx.query(sql, params); } };
    await fn(recording, sent);
    throw rollBack;
  }).catch((error: unknown) => {
    if (error !== rollBack) throw error;
  });
  return sent;
}

/** The tables a module declares as picked by their own columns. */
function ownTables(module: (typeof CUSTOMER_DATA)[number]): string[] {
  return Object.entries(module.tables).filter(([, table]) => table.rows === 'own').map(([name]) => name);
}

describe("the modules' tables that name a customer", () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-customer-data-'));
    db = await openPgliteDb(dir);
    await runMigrations(db);
  });

  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('cover every table of the schema that names a customer, each declared by one module as it is', async () => {
    expect(await customerDataProblems(db, CUSTOMER_DATA)).toEqual([]);
  });

  it('miss a new table that names a customer by a column or through a foreign key, until a module declares it', async () => {
    const loyalty = { module: 'loyalty', tables: { loyalty_points: { rows: 'own' }, parcel_notices: { rows: 'own' }, handoff_tags: { rows: 'with', parent: 'handoffs' } } } as const;
    const found: string[][] = [];
    const rollBack = new Error('roll back the new tables');
    await db.transaction(async (tx) => {
      await tx.query('CREATE TABLE loyalty_points (customer_id uuid NOT NULL, points integer NOT NULL)');
      await tx.query('CREATE TABLE parcel_notices (phone text NOT NULL)');
      await tx.query('CREATE TABLE handoff_tags (handoff_id uuid NOT NULL REFERENCES handoffs (id), tag text NOT NULL)');
      found.push(await customerDataProblems(tx, CUSTOMER_DATA), await customerDataProblems(tx, [...CUSTOMER_DATA, loyalty]));
      throw rollBack;
    }).catch((error: unknown) => {
      if (error !== rollBack) throw error;
    });
    expect(found[0]).toEqual([
      'handoff_tags: names a customer, but no module declares how it is erased and merged',
      'loyalty_points: names a customer, but no module declares how it is erased and merged',
      'parcel_notices: names a customer, but no module declares how it is erased and merged',
    ]);
    expect(found[1]).toEqual([
      'parcel_notices: its rows are picked by their customer or conversation columns, but it has none',
      'handoff_tags: goes with handoffs, but has no foreign key to it that cascades on delete',
    ]);
    expect(await customerDataProblems(db, CUSTOMER_DATA)).toEqual([]);
  });

  it("are each erased by their module's repository, and nothing of the customer is left in any table that names one", async () => {
    const store = new SqlStore(db);
    const customer = await store.resolveCustomer('web', 'erase-contract-visitor');
    const { conversation } = await store.resolveConversation({ channel: 'web', conversationId: 'erase-contract-conv', userId: 'erase-contract-visitor' }, customer.id);
    await store.insertInbound(conversation.id, { address: conversation.address, externalId: 'erase-contract-m1', text: 'hello', receivedAt: new Date() });
    const left: Record<string, number> = {};
    const erasedBy = new Map<string, string[]>();
    await rolledBack(db, async (tx, sent) => {
      const subject = await loadSubject(tx, customer.id);
      const erased: ErasedRows = { requestedBy: 'test', counts: {}, ids: [], channelIds: [], handoffs: [] };
      for (const module of CUSTOMER_DATA) {
        const before = sent.length;
        await module.erase(tx, subject, erased);
        erasedBy.set(module.module, sent.slice(before).filter((sql) => /^\s*DELETE/i.test(sql)));
      }
      const naming = await tx.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND (column_name ~ '(^|_)(customer_id|conversation_id)$' OR (table_name = 'customers' AND column_name = 'id'))`,
      );
      for (const { table_name: table, column_name: column } of naming.rows) {
        const found = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM "${table}" WHERE "${column}"::text = ANY($1::text[])`, [[customer.id, conversation.id]]);
        if (Number(found.rows[0]?.n) > 0) left[`${table}.${column}`] = Number(found.rows[0]?.n);
      }
    });
    expect(left).toEqual({});
    for (const module of CUSTOMER_DATA) {
      const deletes = erasedBy.get(module.module) ?? [];
      for (const table of ownTables(module)) {
        expect(deletes.some((sql) => sql.includes(`"${table}"`)), `${module.module} erases ${table}`).toBe(true);
      }
    }
  });

  it("are each exported by their module's repository: every table it declares as its own, with the customer's rows", async () => {
    const store = new SqlStore(db);
    const customer = await store.resolveCustomer('web', 'export-contract-visitor', { name: 'Ada' });
    const { conversation } = await store.resolveConversation({ channel: 'web', conversationId: 'export-contract-conv', userId: 'export-contract-visitor' }, customer.id);
    await store.insertInbound(conversation.id, { address: conversation.address, externalId: 'export-contract-m1', text: 'hello', receivedAt: new Date() });
    const subject = await loadSubject(db, customer.id);
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const module of CUSTOMER_DATA) {
      const exported = await module.export(db, subject);
      expect(Object.keys(exported.tables ?? {}).sort(), `${module.module} exports its tables`).toEqual(ownTables(module).sort());
      Object.assign(tables, exported.tables);
      if (module.module === 'customers') expect(exported.customer).toMatchObject({ id: customer.id, display_name: 'Ada' });
    }
    expect(tables.messages?.map((m) => m.text)).toEqual(['hello']);
    expect(tables.identities?.map((i) => i.external_id)).toEqual(['export-contract-visitor']);
  });

  it("are each merged by their module's repository: every column that references a customer moves", async () => {
    const references = await db.query<{ name: string }>(
      `SELECT DISTINCT cl.relname AS name FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
       WHERE c.contype = 'f' AND c.confrelid = 'customers'::regclass`,
    );
    const store = new SqlStore(db);
    const keep = await store.resolveCustomer('web', 'merge-contract-keep');
    const gone = await store.resolveCustomer('web', 'merge-contract-gone');
    for (const module of CUSTOMER_DATA) {
      const sent = await rolledBack(db, (tx) => module.merge(tx, keep.id, gone.id));
      for (const table of Object.keys(module.tables).filter((name) => references.rows.some((row) => row.name === name))) {
        expect(sent.some((sql) => /^\s*UPDATE/i.test(sql) && sql.includes(table)), `${module.module} moves ${table}`).toBe(true);
      }
    }
  });
});
