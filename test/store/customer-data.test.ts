/**
 * Every table that names a customer is erased, exported and merged: the schema after the migrations, read from the
 * database, against the modules' declarations (src/customer-data.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_DATA } from '../../src/customer-data.ts';
import { customerDataProblems } from '../../src/store/customer-data-check.ts';
import { openPgliteDb, runMigrations, type Db } from '../../src/store/index.ts';

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
});
