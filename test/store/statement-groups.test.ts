import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb, type Db } from '../../src/store/index.ts';

/**
 * The prepared statements that arrive while the database is busy are committed together (group commit); one that
 * fails must not take the others down with it, nor make any of them run twice, and each caller gets its own result.
 */
describe('prepared statements committed together on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPgliteDb();
    await db.query('CREATE TABLE together (id serial PRIMARY KEY, n integer NOT NULL UNIQUE, label text)');
  });
  afterAll(async () => {
    await db?.close();
  });

  const insert = (n: unknown, label: string) =>
    db.query<{ n: number; label: string }>('INSERT INTO together (n, label) VALUES ($1, $2) RETURNING n, label', [n, label], { prepared: true });

  it('gives each caller its own row, and only the failing statements their errors', async () => {
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 100 }, (_, i) => insert(i, `row ${i}, it's "quoted"`)),
      // A duplicate and a value that is no integer, among the others.
      insert(7, 'again'),
      insert('seven', 'not a number'),
      ...Array.from({ length: 100 }, (_, i) => insert(200 + i, `row ${200 + i}, it's "quoted"`)),
    ]);
    const failed = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([100, 101]);
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') {
        const n = i < 100 ? i : 200 + i - 102;
        expect(outcome.value.rows).toEqual([{ n, label: `row ${n}, it's "quoted"` }]);
      }
    });
    const stored = await db.query<{ n: number; label: string }>('SELECT n, label FROM together ORDER BY n');
    expect(stored.rows).toHaveLength(200);
    expect(stored.rows.find((row) => row.n === 7)?.label).toBe(`row 7, it's "quoted"`);
  });
});
