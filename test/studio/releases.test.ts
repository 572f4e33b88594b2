import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';
import { SqlStore } from '../../src/store/sql-store.ts';
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
