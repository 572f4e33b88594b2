import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlowsDir, say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';

/** Publishing flows while Parley runs: the admin endpoint, the file watcher, and conversations under way. */
const TOKEN = 'test-admin-token-0123456789';
const NEW_WELCOME = 'Welcome back to Brightwave, now with a new greeting!';

function copyOfDemoFlows(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-flows-'));
  cpSync(demoFlowsDir, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (source: string) => string): void {
  const full = path.join(dir, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

async function reload(url: string, authorization?: string) {
  const response = await fetch(`${url}/admin/flows/reload`, { method: 'POST', headers: authorization ? { authorization } : {} });
  return { status: response.status, json: (await response.json()) as any };
}


const welcome = async (t: TestApp, conversation: string) => (await say(t.url, conversation, 'm1', { text: 'hello' })).replies[0]!.text;

describe('POST /admin/flows/reload', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = copyOfDemoFlows();
    t = await startTestApp({ FLOWS_DIR: dir, ADMIN_TOKEN: TOKEN, FLOWS_WATCH: 'false' });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await reload(t.url)).status).toBe(401);
    const wrong = await reload(t.url, 'Bearer not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('UNAUTHORIZED');
    expect((await reload(t.url, TOKEN)).status).toBe(401);
  });

  it('publishes edited flows, while a conversation in the middle of the old order flow finishes on it', async () => {
    await say(t.url, 'mid-flow', 'm1', { text: 'where is my order' });
    const before = t.app.flows.current.version;
    edit(dir, 'greeting.yaml', (s) => s.replace("Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.", NEW_WELCOME));
    edit(dir, 'order-status.yaml', (s) => s.replace('id: ask_number', 'id: ask_order_number').replace('Happy to help!', 'Sure!'));

    const published = await reload(t.url, `Bearer ${TOKEN}`);
    expect(published).toEqual({ status: 200, json: { ok: true, version: t.app.flows.current.version, changed: true, issues: [] } });
    expect(published.json.version).not.toBe(before);
    expect(await welcome(t, 'after-publish')).toBe(NEW_WELCOME);
    expect((await say(t.url, 'new-order', 'm1', { text: 'where is my order' })).replies[0]!.text).toMatch(/^Sure!/);

    // Its step no longer exists in the new version; it finishes on the one it started on.
    const finished = await say(t.url, 'mid-flow', 'm2', { text: 'BW-12345' });
    expect(finished.replies[0]!.text).toMatch(/^Good news: order BW-12345 is on its way/);
  });

  it('keeps serving the last good flows when a file is broken, and says where the mistake is', async () => {
    const served = t.app.flows.current.version;
    edit(dir, 'contact.yaml', (s) => s.replace('  - say:', '  - sya:'));
    const refused = await reload(t.url, `Bearer ${TOKEN}`);
    expect(refused.status).toBe(422);
    expect(refused.json.ok).toBe(false);
    expect(refused.json.version).toBe(served);
    expect(refused.json.issues).toEqual([
      { file: path.join(dir, 'contact.yaml'), line: 18, col: 5, message: "unknown step type 'sya' (did you mean 'say'?); a step is one of say, ask, if, set, goto, handoff, end, call, answer" },
    ]);
    expect(t.app.flows.current.version).toBe(served);
    expect((await say(t.url, 'still-served', 'm1', { text: 'opening hours' })).replies[0]!.text).toMatch(/^Here's how to reach Brightwave/);
    expect(t.logs.join('')).toContain(`"at":"${path.join(dir, 'contact.yaml')}:18:5"`);
  });
});

describe('publishing by saving a file', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = copyOfDemoFlows();
    t = await startTestApp({ FLOWS_DIR: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the admin endpoint does not exist without ADMIN_TOKEN', async () => {
    expect((await reload(t.url, `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('a broken file is not published; the fixed file is, without a restart', async () => {
    const served = t.app.flows.current.version;
    edit(dir, 'greeting.yaml', (s) => s.replace('interrupts: true', 'interrupts: maybe'));
    await until(() => t.logs.join(''), (logs) => logs.includes('flows not reloaded'), 'the broken file to be refused');
    expect(t.app.flows.current.version).toBe(served);
    expect(await welcome(t, 'during-mistake')).toBe("Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.");

    edit(dir, 'greeting.yaml', (s) => s.replace('interrupts: maybe', 'interrupts: true').replace("Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.", NEW_WELCOME));
    await until(() => t.app.flows.current.version, (version) => version !== served, 'the fixed file to be published');
    expect(await welcome(t, 'after-fix')).toBe(NEW_WELCOME);
  });

  const flow = (says: string) => `flow: zebra\ndescription: a test flow\nsteps:\n  - say: "${says}"\n`;
  /** What the bot answers a press of the `zebra` button, in a new conversation. */
  const zebra = async () => (await say(t.url, randomUUID(), 'm1', { payload: 'zebra' })).replies[0]?.text ?? '';
  const served = (expected: string, what: string) => until(zebra, (text) => text === expected, what, { intervalMs: 100 });
  const gone = () => until(zebra, (text) => !text.startsWith('zebra'), 'the flow to be gone', { intervalMs: 100 });
  /** How editors like vim and VS Code save: a temporary file beside it, renamed over the flow. */
  const renameSave = (file: string, content: string) => {
    writeFileSync(`${file}.swp`, content);
    renameSync(`${file}.swp`, file);
  };

  it.each([
    ['at the top', ''],
    ['in a new nested folder', 'team/extra'],
  ])('publishes rename-saves, plain saves and deletes %s', async (_where, folder) => {
    const file = path.join(dir, folder, 'zebra.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    renameSave(file, flow('zebra one'));
    await served('zebra one', 'the new flow');
    // Saved by rename again, then in place: each is published (Node's own recursive watch lost the file after a rename).
    renameSave(file, flow('zebra two'));
    await served('zebra two', 'the rename-saved flow');
    writeFileSync(file, flow('zebra three'));
    await served('zebra three', 'the flow saved in place');
    unlinkSync(file);
    await gone();
  });

  it('logs a watcher error and keeps publishing', async () => {
    const loop = path.join(dir, 'team', 'loop');
    mkdirSync(path.dirname(loop), { recursive: true });
    symlinkSync('loop', loop); // stat() fails with ELOOP
    await until(() => t.logs.join(''), (logs) => logs.includes('watching flows failed'), 'the watcher error to be logged');
    unlinkSync(loop);
    writeFileSync(path.join(dir, 'team', 'zebra.yaml'), flow('zebra after the error'));
    await served('zebra after the error', 'a save after the error');
  });
});
