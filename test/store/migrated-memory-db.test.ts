import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, runMigrations } from '../../src/store/migrations.ts';
import { openMigratedMemoryDb } from '../../src/store/pglite-db.ts';

/** The simulator's database (`parley chat`, `parley flows test`): migrated, empty, from a copy kept on disk. */
describe('an in-memory database from a migrated copy', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const migrate = async (db: Parameters<typeof runMigrations>[0]) => void (await runMigrations(db));

  it('replaces a copy it cannot read, and each database from the copy starts empty and on its own', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-copy-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.tar.gz');
    await writeFile(file, 'not a database');

    const first = await openMigratedMemoryDb(migrate, file);
    const applied = await first.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(applied.rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id).sort());
    expect((await readFile(file)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await first.query(`INSERT INTO customers (display_name) VALUES ('Alice')`);

    const second = await openMigratedMemoryDb(migrate, file);
    expect((await second.query('SELECT * FROM customers')).rows).toEqual([]);
    expect((await second.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: migrations.length }]);
    await Promise.all([first.close(), second.close()]);
  }, 90_000);
});
