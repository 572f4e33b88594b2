import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseService } from '../../src/studio/release-service.ts';
import { StudioFiles } from '../../src/studio/studio-files.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { demoFlowsDir, say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sqlOf } from '../support/sql.ts';
import { seedWarmCaches } from '../support/warm-caches.ts';

/** Two server processes on one PostgreSQL and one Redis serve the same release, switch on a publish, and catch up on start. */
const GREETING = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";
let database: { url: string; drop(): Promise<void> };
let prefix: string;
let flowsDir: string;
/** The second process's data directory, kept across its restarts as a server's is. */
let bDataDir: string;
let a: TestApp;
let b: TestApp | undefined;
const env = () => ({ DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_DIR: flowsDir, FLOWS_WATCH: 'false', KB_WATCH: 'false' });
const startB = (more: Record<string, string> = {}) => startTestApp({ ...env(), DATA_DIR: bDataDir, ...more });
const greeting = async (t: TestApp) => (await say(t.url, randomUUID(), 'm1', { text: 'hello' })).replies[0]!.text;

beforeAll(async () => {
  [database] = await Promise.all([createTestDatabase()]);
  prefix = freshPrefix();
  flowsDir = mkdtempSync(path.join(tmpdir(), 'parley-serving-flows-'));
  cpSync(demoFlowsDir, flowsDir, { recursive: true });
  bDataDir = mkdtempSync(path.join(tmpdir(), 'parley-serving-data-'));
  seedWarmCaches(bDataDir);
  a = await startTestApp(env());
  b = await startB();
}, 120_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
  await dropPrefix(prefix);
  await database?.drop();
  rmSync(flowsDir, { recursive: true, force: true });
  rmSync(bDataDir, { recursive: true, force: true });
});

async function publishGreeting(t: TestApp, text: string) {
  const files = new StudioFiles(sqlOf(t.app.store), t.app.releases.releases);
  const current = await files.get('flows/greeting.yaml');
  await files.save('flows/greeting.yaml', current.content!.replace(/Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant\.|Hello from release \d+!/, text), current.version, 'ana');
  return t.app.releases.releases.publishDrafts({ by: 'ana', message: text });
}

const HALO_HUB = 'knowledge/products/halo-hub.md';
const asked = async (t: TestApp, question: string) => (await t.app.releases.knowledge!.search(question, { limit: 1 })).hits[0]?.id;

async function publishArticle(t: TestApp, edit: (text: string) => string, message: string) {
  const files = new StudioFiles(sqlOf(t.app.store), t.app.releases.releases);
  const current = await files.get(HALO_HUB);
  await files.save(HALO_HUB, edit(current.content!), current.version, 'ana');
  return t.app.releases.releases.publishDrafts({ by: 'ana', message });
}

describe('serving releases', () => {
  it('a first start makes the files on disk release 1 and serves it from the data directory', async () => {
    expect(a.app.releases.served).toBe(1);
    expect(b!.app.releases.served).toBe(1);
    expect(readFileSync(path.join(a.dataDir, 'releases/1/flows/greeting.yaml'), 'utf8')).toContain(GREETING);
    expect(existsSync(path.join(a.dataDir, 'releases/1/knowledge/products/halo-hub.md'))).toBe(true);
    expect(await greeting(a)).toBe(GREETING);
  });

  it('a publish in one process is served at once there and soon by the other', async () => {
    const release = await publishGreeting(a, 'Hello from release 2!');
    expect(release.id).toBe(2);
    expect(await greeting(a)).toBe('Hello from release 2!');
    await until(() => greeting(b!), (text) => text === 'Hello from release 2!', 'the other process to switch', { intervalMs: 100 });
  });

  it('a process that was down when a release was published serves it when it starts', { timeout: 60_000 }, async () => {
    await b!.close();
    b = undefined;
    await publishGreeting(a, 'Hello from release 3!');
    b = await startB();
    expect(b.app.releases.served).toBe(3);
    expect(await greeting(b)).toBe('Hello from release 3!');
  });

  it('files changed on disk while stopped are published at the next start, as a release by files', { timeout: 60_000 }, async () => {
    await b!.close();
    b = undefined;
    const file = path.join(flowsDir, 'greeting.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(GREETING, 'Hello from a git pull!'));
    b = await startB();
    const [latest] = await b.app.releases.releases.list(1);
    expect(latest).toMatchObject({ id: 4, by: 'files', message: 'changed on disk' });
    expect(await greeting(b)).toBe('Hello from a git pull!');
    await until(() => greeting(a), (text) => text === 'Hello from a git pull!', 'the running process to switch', { intervalMs: 100 });
  });

  it('an article changed in a release published through one process is answered by the other, its index updated, not rebuilt', async () => {
    await publishArticle(a, (text) => text.replace('It costs €129.', 'It costs €129 and glows zephyrine blue.'), 'halo hub colour');
    expect(await asked(a, 'zephyrine')).toBe('products/halo-hub');
    await until(() => asked(b!, 'zephyrine'), (id) => id === 'products/halo-hub', 'the other process to answer from the changed article', { intervalMs: 100 });
    for (const t of [a, b!]) expect(t.app.releases.knowledge!.stats()).toMatchObject({ index: 'updated' });
    // The release's folder has the changed article; the files it did not change are those of the folder served before, not written again.
    const served = a.app.releases.served;
    expect(readFileSync(path.join(a.dataDir, `releases/${served}/knowledge/products/halo-hub.md`), 'utf8')).toContain('zephyrine');
    expect(readFileSync(path.join(a.dataDir, `releases/${served}/flows/greeting.yaml`), 'utf8')).toContain('Hello from a git pull!');
    expect(statSync(path.join(a.dataDir, `releases/${served}/flows/greeting.yaml`)).ino).toBe(statSync(path.join(a.dataDir, `releases/${served - 1}/flows/greeting.yaml`)).ino);
  });

  it('a process restarted after an article changed while it was down loads its kept index and layers the change over it', { timeout: 60_000 }, async () => {
    await b!.close();
    b = undefined;
    await publishArticle(a, (text) => text.replace('glows zephyrine blue', 'hums in quetzal green'), 'halo hub colour again');
    b = await startB();
    expect(b.app.releases.knowledge!.stats()).toMatchObject({ index: 'updated' });
    for (const t of [a, b]) expect(await asked(t, 'quetzal')).toBe('products/halo-hub');
    for (const t of [a, b]) expect(await asked(t, 'zephyrine')).not.toBe('products/halo-hub');
  });

  it('an article removed in a release published through one process is answered by neither', async () => {
    const files = new StudioFiles(sqlOf(a.app.store), a.app.releases.releases);
    await files.save(HALO_HUB, null, (await files.get(HALO_HUB)).version, 'ana');
    await a.app.releases.releases.publishDrafts({ by: 'ana', message: 'halo hub gone' });
    expect(await asked(a, 'quetzal')).not.toBe('products/halo-hub');
    await until(() => asked(b!, 'quetzal'), (id) => id !== 'products/halo-hub', 'the other process to stop answering from the removed article', { intervalMs: 100 });
  });

  it('a release whose announcement never arrived is served after the next poll of the database', { timeout: 60_000 }, async () => {
    await b!.close();
    b = await startB({ RELEASES_POLL_MS: '300' });
    // Published as a process cut off from Redis would: in the database, announced to nobody.
    const silent = new ReleaseService(sqlOf(a.app.store));
    const current = (await silent.current())!;
    const file = 'flows/greeting.yaml';
    await silent.publishFiles({ ...current.files, [file]: current.files[file]!.replace(/Hello from a git pull!/, 'Hello from a poll!') }, { by: 'files', message: 'unannounced', check: false });
    await until(() => greeting(b!), (text) => text === 'Hello from a poll!', 'the other process to find the release by polling', { intervalMs: 100 });
  });
});
