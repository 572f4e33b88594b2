import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb, type Db } from '../../src/store/index.ts';

/** A prepared statement on PGlite reads its parameters as quoted literals: every value must come back as it went in. */
describe('prepared statements on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPgliteDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  const awkward = ["it's", 'back\\slash', 'a "quoted" word', '{braces},commas', "'); DROP TABLE x; --", 'é\n\t', '', 'NULL'];

  it('gives back texts, numbers, nulls and arrays as they were sent, the first time and after', async () => {
    const sql = 'SELECT $1::text AS text, $2::bigint AS n, $3::text AS missing, $4::text[] AS list, $5::bigint[] AS ids, $6::jsonb AS doc';
    for (let run = 0; run < 2; run++) {
      for (const text of awkward) {
        const { rows } = await db.query<{ text: string; n: string; missing: null; list: string[]; ids: string[]; doc: unknown }>(
          sql, [text, 9007199254740993n, null, [...awkward, null], ['1', '2'], JSON.stringify({ text })], { prepared: true },
        );
        expect(rows[0]).toEqual({ text, n: '9007199254740993', missing: null, list: [...awkward, null], ids: ['1', '2'], doc: { text } });
      }
    }
    // Prepared once, run sixteen times.
    const prepared = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_prepared_statements WHERE statement LIKE $1', ['%$6::jsonb AS doc%']);
    expect(prepared.rows[0]?.n).toBe('1');
  });
});
