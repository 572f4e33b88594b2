import { afterEach, describe, expect, it } from 'vitest';
import { migrations, runMigrations } from '../../src/store/migrations.ts';
import { openPgliteDb } from '../../src/store/pglite-db.ts';
import type { Db, Queryable } from '../../src/store/types.ts';
import { ReleaseService } from '../../src/studio/release-service.ts';
import { ReleaseStore } from '../../src/studio/release-store.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';

/** A release names its files' contents by hash and each content is stored once (migration 0020-release-contents). */
const FLOW = 'flow: greeting\ntriggers:\n  keywords: [hello]\nsteps:\n  - say: Hello!\n';
/** A knowledge base of 50 FAQ files, as a large one is spread over many. */
const knowledge = (changed = '') =>
  Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`knowledge/faq-${i}.jsonl`, `{"id":"q${i}","title":"Question ${i}${i === 7 ? changed : ''}","answer":"Answer ${i}."}\n`]));

const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

/** The statements a store sends, and what they carry. */
function recording(db: Queryable): { db: Queryable; sent: Array<{ sql: string; params: unknown[] }> } {
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  return { sent, db: { query: (sql, params = []) => (sent.push({ sql, params }), db.query(sql, params)) } };
}

const rows = async (db: Queryable, sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n);

describe('release contents', () => {
  it('publishing one changed file stores that file alone, and another process reads only its content', async () => {
    const db = await openMigratedTestDb();
    dbs.push(db);
    const publisher = new ReleaseService(db);
    await publisher.seed({ 'flows/greeting.yaml': FLOW, ...knowledge() });
    const other = recording(db);
    const serving = new ReleaseStore(other.db);
    expect(Object.keys((await serving.current())!.files)).toHaveLength(51);
    expect(await rows(db, 'SELECT count(*)::int AS n FROM release_contents')).toBe(51);

    const { release } = await publisher.publishFiles({ 'flows/greeting.yaml': FLOW, ...knowledge(' (changed)') }, { by: 'ana', message: 'one answer', check: false });
    expect(release.id).toBe(2);
    expect(await rows(db, 'SELECT count(*)::int AS n FROM release_contents')).toBe(52);

    other.sent.length = 0;
    const current = (await serving.current())!;
    expect(current.files).toEqual({ 'flows/greeting.yaml': FLOW, ...knowledge(' (changed)') });
    const contentReads = other.sent.filter((s) => s.sql.includes('FROM release_contents'));
    expect(contentReads).toHaveLength(1);
    expect(contentReads[0]!.params[0]).toHaveLength(1);
    // An earlier release still has its own contents.
    expect((await serving.get(1))!.files['knowledge/faq-7.jsonl']).toContain('"Question 7"');
  });

  it('the process that published a release reads only the next one\'s changed content', async () => {
    const db = await openMigratedTestDb();
    dbs.push(db);
    const seeding = new ReleaseService(db);
    await seeding.seed({ 'flows/greeting.yaml': FLOW, ...knowledge() });
    await new ReleaseService(db).publishFiles({ 'flows/greeting.yaml': FLOW, ...knowledge(' (changed)') }, { by: 'ana', message: 'one answer', check: false });

    const own = recording(db);
    expect((await seeding.store.current(own.db))!.files).toEqual({ 'flows/greeting.yaml': FLOW, ...knowledge(' (changed)') });
    const contentReads = own.sent.filter((s) => s.sql.includes('FROM release_contents') && s.sql.startsWith('SELECT hash, content'));
    expect(contentReads.map((s) => (s.params[0] as string[]).length)).toEqual([1]);
  });

  it('the migration moves the releases made before it to stored contents, each content once', async () => {
    const db = await openPgliteDb();
    dbs.push(db);
    const before = migrations.findIndex((m) => m.id === '0020-release-contents');
    await runMigrations(db, migrations.slice(0, before));
    const files = { 'flows/greeting.yaml': FLOW, 'knowledge/faq.jsonl': '{"id":"q","title":"Grüße","answer":"Ä ö ü ß €."}\n' };
    for (const release of [files, { ...files, 'knowledge/more.md': '---\ntitle: More\n---\nMore.' }, {}]) {
      await db.query("INSERT INTO releases (published_by, message, source, files) VALUES ('files', 'before', 'files', $1::jsonb)", [JSON.stringify(release)]);
    }
    await runMigrations(db);

    const store = new ReleaseStore(db);
    expect((await store.list(10)).map((r) => r.files)).toEqual([{}, { ...files, 'knowledge/more.md': '---\ntitle: More\n---\nMore.' }, files]);
    expect(await rows(db, 'SELECT count(*)::int AS n FROM release_contents')).toBe(3);
    // A release published after the migration finds the contents the migration stored under the same hashes.
    await new ReleaseService(db).publishFiles(files, { by: 'ana', message: 'after', check: false });
    expect(await rows(db, 'SELECT count(*)::int AS n FROM release_contents')).toBe(3);
  });
});
