import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioFiles } from '../../src/studio/studio-files.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { demoFlowsDir, say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sqlOf } from '../support/sql.ts';

/** Two server processes on one PostgreSQL and one Redis serve the same release, switch on a publish, and catch up on start. */
const GREETING = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";
let database: { url: string; drop(): Promise<void> };
let prefix: string;
let flowsDir: string;
let a: TestApp;
let b: TestApp | undefined;
const env = () => ({ DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_DIR: flowsDir, FLOWS_WATCH: 'false', KB_WATCH: 'false' });
const greeting = async (t: TestApp) => (await say(t.url, randomUUID(), 'm1', { text: 'hello' })).replies[0]!.text;

beforeAll(async () => {
  [database] = await Promise.all([createTestDatabase()]);
  prefix = freshPrefix();
  flowsDir = mkdtempSync(path.join(tmpdir(), 'parley-serving-flows-'));
  cpSync(demoFlowsDir, flowsDir, { recursive: true });
  a = await startTestApp(env());
  b = await startTestApp(env());
}, 120_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
  await dropPrefix(prefix);
  await database?.drop();
  rmSync(flowsDir, { recursive: true, force: true });
});

async function publishGreeting(t: TestApp, text: string) {
  const files = new StudioFiles(sqlOf(t.app.store), t.app.releases.releases);
  const current = await files.get('flows/greeting.yaml');
  await files.save('flows/greeting.yaml', current.content!.replace(/Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant\.|Hello from release \d+!/, text), current.version, 'ana');
  return t.app.releases.releases.publishDrafts({ by: 'ana', message: text });
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
    b = await startTestApp(env());
    expect(b.app.releases.served).toBe(3);
    expect(await greeting(b)).toBe('Hello from release 3!');
  });

  it('files changed on disk while stopped are published at the next start, as a release by files', { timeout: 60_000 }, async () => {
    await b!.close();
    b = undefined;
    const file = path.join(flowsDir, 'greeting.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(GREETING, 'Hello from a git pull!'));
    b = await startTestApp(env());
    const [latest] = await b.app.releases.releases.list(1);
    expect(latest).toMatchObject({ id: 4, by: 'files', message: 'changed on disk' });
    expect(await greeting(b)).toBe('Hello from a git pull!');
    await until(() => greeting(a), (text) => text === 'Hello from a git pull!', 'the running process to switch', { intervalMs: 100 });
  });

  it('an article changed in a release published through one process is answered by the other, its index updated, not rebuilt', async () => {
    const files = new StudioFiles(sqlOf(a.app.store), a.app.releases.releases);
    const current = await files.get('knowledge/products/halo-hub.md');
    await files.save('knowledge/products/halo-hub.md', current.content!.replace('It costs €129.', 'It costs €129 and glows zephyrine blue.'), current.version, 'ana');
    await a.app.releases.releases.publishDrafts({ by: 'ana', message: 'halo hub colour' });
    const asked = async (t: TestApp) => (await t.app.releases.knowledge!.search('zephyrine', { limit: 1 })).hits[0]?.id;
    expect(await asked(a)).toBe('products/halo-hub');
    await until(() => asked(b!), (id) => id === 'products/halo-hub', 'the other process to answer from the changed article', { intervalMs: 100 });
    for (const t of [a, b!]) expect(t.app.releases.knowledge!.stats()).toMatchObject({ index: 'updated' });
  });
});
