import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';
import { SqlStore } from '../../src/store/sql-store.ts';
import { checkFileSet } from '../../src/studio/check-file-set.ts';
import { readFileSet } from '../../src/studio/file-set.ts';
import { ReleaseService } from '../../src/studio/release-service.ts';
import { checkStudioPath } from '../../src/studio/studio-paths.ts';
import { demoFlowsDir, repoRoot } from '../support/app.ts';
import path from 'node:path';
import { sqlOf } from '../support/sql.ts';

/** Releases over a real (in-memory) PGlite: the first one from files, publishing, refusing errors, restoring. */
let store: SqlStore;
let releases: ReleaseService;
let demo: Record<string, string>;
const announced: number[] = [];

beforeAll(async () => {
  store = new SqlStore(await openMigratedTestDb());
  await store.migrate();
  releases = new ReleaseService(sqlOf(store), { announce: async (release) => void announced.push(release.id) });
  demo = await readFileSet({ flows: demoFlowsDir, knowledge: path.join(repoRoot, 'knowledge') });
});
afterAll(async () => {
  await store?.close();
});

const greeting = (text: string) => demo['flows/greeting.yaml']!.replace("Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.", text);

describe('releases', () => {
  it('the demo files become release 1 once; the conversation tests and every article are in it, the knowledge README is not', async () => {
    const first = await releases.seed(demo);
    expect(first).toMatchObject({ id: 1, by: 'files', source: 'files' });
    expect(first.files['flows/greeting.test.yaml']).toBeDefined();
    expect(first.files['knowledge/products/halo-hub.md']).toBeDefined();
    expect(first.files['knowledge/README.md']).toBeUndefined();
    expect((await releases.seed({ 'flows/other.yaml': 'flow: other\nsteps:\n  - say: hi\n' })).id).toBe(1);
  });

  it('publishes changed files as a new release, announced; the same files again publish nothing', async () => {
    const changed = { ...demo, 'flows/greeting.yaml': greeting('Hello from release two!') };
    const { release, published } = await releases.publishFiles(changed, { by: 'ana', message: 'new greeting' });
    expect(published).toBe(true);
    expect(release).toMatchObject({ id: 2, by: 'ana', message: 'new greeting', source: 'files' });
    expect(announced).toEqual([2]);
    expect((await releases.publishFiles(changed, { by: 'ana', message: 'again' })).published).toBe(false);
    expect((await releases.list()).map((r) => r.id)).toEqual([2, 1]);
  });

  it('refuses a set with an error, naming the file, line and column, and publishes nothing', async () => {
    const broken = { ...demo, 'flows/contact.yaml': demo['flows/contact.yaml']!.replace('  - say:', '  - sya:') };
    const refused = await releases.publishFiles(broken, { by: 'ana', message: 'oops' }).catch((error: unknown) => error);
    expect(isParleyError(refused, 'CONTENT_INVALID')).toBe(true);
    const problems = (refused as { details: { problems: { path: string; line: number; col: number; severity: string; message: string }[] } }).details.problems;
    expect(problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ path: 'flows/contact.yaml', line: 18, col: 5, message: expect.stringMatching(/^unknown step type 'sya'/) }),
    ]);
    const brokenArticle = { ...demo, 'knowledge/faq.jsonl': '{"question": "no answer"}\n' };
    const kbRefused = await releases.publishFiles(brokenArticle, { by: 'ana', message: 'oops' }).catch((error: unknown) => error);
    expect((kbRefused as { details: { problems: { path: string }[] } }).details.problems.map((p) => p.path)).toContain('knowledge/faq.jsonl');
    expect((await releases.current())?.id).toBe(2);
  });

  it('restoring publishes an earlier release\'s content as a new release', async () => {
    const restored = await releases.restore(1, 'ben');
    expect(restored).toMatchObject({ id: 3, by: 'ben', message: 'restored release 1', source: 'restore' });
    expect(restored.files).toEqual((await releases.get(1))!.files);
    await expect(releases.restore(99, 'ben')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const history = await releases.summaries();
    expect(history.map((r) => [r.id, r.by, r.changed])).toEqual([[3, 'ben', ['flows/greeting.yaml']], [2, 'ana', ['flows/greeting.yaml']], [1, 'files', Object.keys(demo).sort()]]);
    expect(history[0]!.paths).toEqual(Object.keys(demo).sort());
  });
});

describe('studio paths', () => {
  it('accept flows, tests, articles and FAQ files under the two roots', () => {
    for (const ok of ['flows/greeting.yaml', 'flows/sub/returns.test.yaml', 'knowledge/products/halo-hub.md', 'knowledge/faq.de.jsonl']) expect(checkStudioPath(ok)).toBe(ok);
  });

  it('refuse escapes, absolute paths, backslashes, NUL, other folders and other files', () => {
    for (const bad of ['../etc/passwd', 'flows/../../x.yaml', '/flows/a.yaml', 'flows\\a.yaml', 'flows/a\u0000.yaml', 'src/app.ts', 'flows/a.ts',
      'knowledge/_drafts/a.md', 'knowledge/.hidden.md', 'flows//a.yaml', 'flows/./a.yaml', 'flows', '']) {
      expect(() => checkStudioPath(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
  });
});

describe('a publish checks what changed since the current release', () => {
  const FLOW = 'flow: greeting\ntriggers:\n  keywords: [hello]\nsteps:\n  - say: Hello!\n';
  const faq = (id: string, title: string) => `{"id":"${id}","title":"${title}","answer":"The answer to ${title.toLowerCase()}."}\n`;
  // Release 1 comes from files on disk, where a broken article is left out rather than refused.
  const first = { 'flows/greeting.yaml': FLOW, 'knowledge/a.jsonl': faq('returns', 'Returns'), 'knowledge/b.jsonl': '{"id":"shipping","title":"Shipping"}\n' };
  type Refusal = { details: { problems: Array<{ path: string; line: number; col: number; severity: string; message: string }> } };

  it('does not parse the files it did not change: one left broken since release 1 stops neither a publish nor a restore', async () => {
    const db = await openMigratedTestDb();
    try {
      const service = new ReleaseService(db);
      await service.seed(first);
      // The whole set has that error (the studio's file list shows it)...
      expect((await checkFileSet(first)).filter((p) => p.severity === 'error').map((p) => `${p.path}:${p.line}:${p.col}`)).toEqual(['knowledge/b.jsonl:1:1']);
      // ...yet publishing a change to another file parses that file alone.
      const { release, published } = await service.publishFiles({ ...first, 'knowledge/a.jsonl': faq('returns', 'Returns and refunds') }, { by: 'ana', message: 'a title' });
      expect([published, release.id]).toEqual([true, 2]);
      expect((await service.restore(1, 'ben')).files).toEqual(first);
    } finally {
      await db.close();
    }
  });

  it('refuses a changed file with an error, naming its file, line and column, and not the unchanged ones', async () => {
    const db = await openMigratedTestDb();
    try {
      const service = new ReleaseService(db);
      await service.seed(first);
      const broken = { ...first, 'knowledge/a.jsonl': `${faq('returns', 'Returns')}{"id": "refunds", "title": "Refunds"\n` };
      const refused = (await service.publishFiles(broken, { by: 'ana', message: 'oops' }).catch((error: unknown) => error)) as Refusal;
      expect(isParleyError(refused, 'CONTENT_INVALID')).toBe(true);
      expect(refused.details.problems).toEqual([expect.objectContaining({ path: 'knowledge/a.jsonl', line: 2, col: 1, severity: 'error', message: expect.stringMatching(/^invalid JSON/) })]);
      // A new file is a changed one too.
      const added = (await service.publishFiles({ ...first, 'knowledge/c.jsonl': '{"id":"c"}\n' }, { by: 'ana', message: 'oops' }).catch((error: unknown) => error)) as Refusal;
      expect(added.details.problems.map((p) => `${p.path}:${p.line}:${p.col}`)).toEqual(['knowledge/c.jsonl:1:1', 'knowledge/c.jsonl:1:1']);
      expect((await service.current())!.id).toBe(1);
    } finally {
      await db.close();
    }
  });
});
