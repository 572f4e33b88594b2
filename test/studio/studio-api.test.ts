import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Parley Studio's HTTP API against a real app: editors sign in as the console's agents do, save drafts with
 * versions, see problems, preview the drafts, publish, and restore; agents without the editor role are refused.
 */
const EVE = { id: 'eve', token: 'eve-token-0123456789abcdef' }; // editor only: no queues
const EDDY = { id: 'eddy', token: 'eddy-token-0123456789abcdef' }; // a second editor who also works a queue
const BEN = { id: 'ben', token: 'ben-token-0123456789abcdef' }; // an agent, not an editor
const AGENTS = JSON.stringify([
  { id: EVE.id, name: 'Eve', editor: true, token: hashToken(EVE.token) },
  { id: EDDY.id, name: 'Eddy', editor: true, queues: ['support'], token: hashToken(EDDY.token) },
  { id: BEN.id, name: 'Ben', queues: ['support'], token: hashToken(BEN.token) },
]);
const ADMIN_TOKEN = 'studio-admin-token-0123456789';
const GREETING = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";

let t: TestApp;
let database: { url: string; drop(): Promise<void> };
let prefix: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prefix = freshPrefix();
  t = await startTestApp({ AGENTS, ADMIN_TOKEN, DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

async function api(token: string | { cookie: string }, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  const auth: Record<string, string> = typeof token === 'string' ? { authorization: `Bearer ${token}` } : { cookie: token.cookie };
  const response = await fetch(`${t.url}${pathname}`, {
    method, headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } as Record<string, string>,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json().catch(() => null)) as any };
}
const file = (token: string, path: string) => api(token, 'GET', `/studio/api/files/${path}`);
const save = (token: string, path: string, content: string, baseVersion: number) => api(token, 'PUT', `/studio/api/files/${path}`, { content, baseVersion });
/** A GET sent exactly as written: fetch would resolve `%2e%2e` segments before sending. */
function rawGet(token: string, pathname: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(t.url);
    const req = request({ hostname, port, path: pathname, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const welcome = async () => (await say(t.url, randomUUID(), 'm1', { text: 'hello' })).replies[0]!.text;

describe('who may use the studio', () => {
  it('an agent without the editor role gets 403, nobody signed in 401; both coded, with no internal text', async () => {
    const refused = await api(BEN.token, 'GET', '/studio/api/files');
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN', message: expect.stringMatching(/editors/) } } });
    expect((await api(BEN.token, 'POST', '/studio/api/publish', { message: 'x' })).status).toBe(403);
    expect((await fetch(`${t.url}/studio/api/files`)).status).toBe(401);
  });

  it('the holder of ADMIN_TOKEN is an editor; editors see the knowledge gaps, masked', async () => {
    expect((await api(ADMIN_TOKEN, 'GET', '/studio/api/me')).json).toEqual({ id: 'admin', name: 'Admin token' });
    await say(t.url, randomUUID(), 'm1', { text: 'Do you sell submarines? mail me at jane@example.com' });
    const gaps = JSON.stringify((await api(EVE.token, 'GET', '/studio/api/gaps')).json);
    expect(gaps).toContain('submarines');
    expect(gaps).not.toContain('jane@example.com');
  });

  it('an editor signs in at the console\'s sign-in and uses the same cookie here; answers are not cached', async () => {
    const login = await fetch(`${t.url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: EVE.token }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const list = await api({ cookie }, 'GET', '/studio/api/files');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(list.json).toContainEqual({ path: 'flows/greeting.yaml', kind: 'flow', version: 0, draft: false, problems: expect.any(Number), errors: 0 });
    expect(list.json).toContainEqual(expect.objectContaining({ path: 'flows/greeting.test.yaml', kind: 'test' }));
    expect(list.json).toContainEqual(expect.objectContaining({ path: 'knowledge/products/halo-hub.md', kind: 'article' }));
    expect(list.json).toContainEqual(expect.objectContaining({ path: 'knowledge/faq.jsonl', kind: 'faq' }));
    // A page of another origin cannot make the signed-in editor's browser save anything.
    const crossSite = await api({ cookie }, 'PUT', '/studio/api/files/flows/greeting.yaml', { content: 'x', baseVersion: 0 }, { 'sec-fetch-site': 'same-site' });
    expect(crossSite).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } });
    expect((await file(EVE.token, 'flows/greeting.yaml')).json.draft).toBe(false);
  });

  it('paths stay inside the flows and knowledge folders', async () => {
    for (const path of ['flows/../../package.json', 'flows/%2e%2e/%2e%2e/package.json', 'flows%2F..%2F..%2Fpackage.json', 'src/app.ts', 'knowledge/..%2F.env', '%2Fetc%2Fpasswd', 'flows/a%5Cb.yaml', 'flows/a%00.yaml']) {
      const response = await rawGet(EVE.token, `/studio/api/files/${path}`);
      expect(response.status, path).toBe(400);
      expect(response.json.error.code).toBe('BAD_REQUEST');
    }
    expect((await save(EVE.token, 'flows/%2e%2e/escape.yaml', 'flow: x', 0)).status).toBe(400);
    expect((await file(EVE.token, 'flows/nothing-here.yaml')).status).toBe(404);
  });
});

describe('drafts, preview, publish and restore', () => {
  it('two editors saving the same file: the second gets 409 with the text saved meanwhile and their own', async () => {
    const { json: base } = await file(EVE.token, 'flows/greeting.yaml');
    expect(base).toMatchObject({ path: 'flows/greeting.yaml', version: 0, draft: false, content: expect.stringContaining(GREETING) });
    const eves = base.content.replace(GREETING, 'Hello from the studio!');
    const saved = await save(EVE.token, 'flows/greeting.yaml', eves, base.version);
    expect(saved).toMatchObject({ status: 200, json: { version: 1, problems: expect.any(Array) } });
    expect(saved.json.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);

    const eddys = base.content.replace(GREETING, 'Hello from Eddy!');
    const conflict = await save(EDDY.token, 'flows/greeting.yaml', eddys, base.version);
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: 'CONFLICT', details: { path: 'flows/greeting.yaml', version: 1, content: eves, draft: true, updatedBy: 'eve', yours: eddys } });
    expect((await file(EDDY.token, 'flows/greeting.yaml')).json).toMatchObject({ content: eves, version: 1, draft: true });
  });

  it('a save answers with the file\'s problems; publishing while a draft has an error is refused with 422 and nothing changes', async () => {
    const { json: contact } = await file(EVE.token, 'flows/contact.yaml');
    const broken = await save(EVE.token, 'flows/contact.yaml', contact.content.replace('  - say:', '  - sya:'), contact.version);
    expect(broken.status).toBe(200);
    expect(broken.json.problems).toContainEqual({ line: 18, col: 5, severity: 'error', message: expect.stringMatching(/^unknown step type 'sya' \(did you mean 'say'\?\)/) });
    expect((await api(EVE.token, 'GET', '/studio/api/files')).json).toContainEqual(expect.objectContaining({ path: 'flows/contact.yaml', draft: true, problems: expect.any(Number) }));

    const refused = await api(EVE.token, 'POST', '/studio/api/publish', { message: 'new greeting' });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'CONTENT_INVALID', details: { problems: expect.arrayContaining([expect.objectContaining({ path: 'flows/contact.yaml', line: 18, col: 5, severity: 'error' })]) } });
    expect((await api(EVE.token, 'GET', '/studio/api/releases')).json.map((r: { release: number }) => r.release)).toEqual([1]);
    expect(await welcome()).toBe(GREETING);

    // Saving the published text again leaves no draft of it.
    const fixed = await save(EVE.token, 'flows/contact.yaml', contact.content, broken.json.version);
    expect(fixed.json.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    expect((await file(EVE.token, 'flows/contact.yaml')).json).toMatchObject({ draft: false, version: 2 });
  });

  // The first preview opens the simulator's own in-memory database: seconds on a busy machine.
  it('the preview runs the drafts through the real engine; a handoff is shown, not queued; customers see none of it', { timeout: 120_000 }, async () => {
    const conversationId = 'preview-1';
    const opened = await api(EVE.token, 'POST', '/studio/api/preview', { conversationId });
    expect(opened.status).toBe(200);
    expect(opened.json.replies[0].text).toBe('Hello from the studio!');
    const asked = await api(EVE.token, 'POST', '/studio/api/preview', { conversationId, text: 'I want to talk to a person' });
    expect(asked.json).toMatchObject({ conversationId, handoff: expect.any(String) });
    expect((await sqlOf(t.app.store).query('SELECT count(*)::int AS n FROM handoffs')).rows[0]).toEqual({ n: 0 });
    // Another editor's conversation of the same id is their own.
    expect((await api(EDDY.token, 'POST', '/studio/api/preview', { conversationId, text: 'hello' })).json.handoff).toBeUndefined();
    expect(await welcome()).toBe(GREETING);
    expect((await api(EVE.token, 'POST', '/studio/api/preview', { conversationId, text: 'hi', payload: 'x' })).status).toBe(400);

    // A call step: the editor's sample answers it, else (demo mode) the demo shop's order API; never anything real.
    const order = 'preview-order';
    await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: order, text: 'where is my order' });
    const looked = await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: order, text: 'BW-12345' });
    expect(looked.json.replies[0].text).toMatch(/^Good news: order BW-12345 is on its way/);
    expect(looked.json.calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: false, demo: true }]);
    // The editor's sample for the endpoint answers instead, and says so.
    const sampled = 'preview-sample';
    await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: sampled, text: 'where is my order' });
    const sample = { number: 'BW-77777', status: 'delivered', carrier: 'DHL', eta: '2025-03-12', items: [{ name: 'Sample speaker', qty: 1 }] };
    const answered = await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: sampled, text: 'BW-77777', samples: { order_lookup: sample } });
    expect(answered.json.calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-77777' }, sample: true }]);

    // A question the drafts cannot answer is no knowledge gap, and nothing of the preview is in the server's database.
    await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: 'preview-gap', text: 'do you rent out hovercrafts?' });
    expect(JSON.stringify((await api(EVE.token, 'GET', '/studio/api/gaps')).json)).not.toContain('hovercraft');
    for (const table of ['conversations', 'analytics_turns']) {
      expect((await sqlOf(t.app.store).query(`SELECT count(*)::int AS n FROM ${table} WHERE channel = 'simulator'`)).rows[0]).toEqual({ n: 0 });
    }
  });

  it('the conversation tests run on the drafts, with what differs', { timeout: 120_000 }, async () => {
    const run = await api(EVE.token, 'POST', '/studio/api/tests', { path: 'flows/greeting.test.yaml' });
    expect(run.status).toBe(200);
    expect(run.json).toHaveLength(1);
    expect(run.json[0]).toMatchObject({ file: 'flows/greeting.test.yaml', problems: [] });
    const failed = run.json[0].tests.find((test: { failure?: unknown }) => test.failure);
    expect(failed.failure.differences.join('\n')).toContain('Hello from the studio!');
    expect((await api(EVE.token, 'POST', '/studio/api/tests', { path: 'flows/greeting.yaml' })).status).toBe(400);
  });

  it('publish makes every draft a release the web chat answers from; restoring the first gives the old answer again', async () => {
    const published = await api(EVE.token, 'POST', '/studio/api/publish', { message: 'a warmer greeting' });
    expect(published).toMatchObject({ status: 201, json: { release: { release: 2, by: 'eve', message: 'a warmer greeting', source: 'studio' } } });
    expect(await welcome()).toBe('Hello from the studio!');
    expect((await file(EVE.token, 'flows/greeting.yaml')).json).toMatchObject({ draft: false, version: 1 });
    expect((await api(EVE.token, 'POST', '/studio/api/publish', { message: 'nothing' })).json.error.code).toBe('CONFLICT');

    const releases = (await api(EVE.token, 'GET', '/studio/api/releases')).json;
    expect(releases.map((r: { release: number; by: string; changed: string[] }) => [r.release, r.by, r.changed])).toEqual([[2, 'eve', ['flows/greeting.yaml']], [1, 'files', expect.any(Array)]]);
    expect((await api(EVE.token, 'GET', '/studio/api/releases/2')).json.content['flows/greeting.yaml']).toContain('Hello from the studio!');

    const restored = await api(EDDY.token, 'POST', '/studio/api/releases/1/restore');
    expect(restored).toMatchObject({ status: 201, json: { release: { release: 3, by: 'eddy', message: 'restored release 1', source: 'restore' } } });
    expect(await welcome()).toBe(GREETING);
    // The restore changed the file under the editors: a save from the version they had is stale.
    expect((await file(EVE.token, 'flows/greeting.yaml')).json.version).toBe(2);
    expect((await save(EVE.token, 'flows/greeting.yaml', 'flow: x', 1)).status).toBe(409);
  });

  it('drafting a removal, and a new file', async () => {
    const { json: test } = await file(EVE.token, 'flows/returns.test.yaml');
    expect((await api(EVE.token, 'DELETE', `/studio/api/files/flows/returns.test.yaml?baseVersion=${test.version}`)).status).toBe(200);
    expect((await api(EVE.token, 'GET', '/studio/api/files')).json).toContainEqual(expect.objectContaining({ path: 'flows/returns.test.yaml', draft: true, removed: true }));
    expect((await file(EVE.token, 'flows/returns.test.yaml')).json).toMatchObject({ content: null, draft: true });
    const body = 'Gift cards come in €25, €50 and €100 and never expire.\n';
    const created = await save(EVE.token, 'knowledge/support/gift-cards.md', body, 0);
    expect(created).toMatchObject({ status: 200, json: { version: 1, problems: [{ line: 1, col: 1, severity: 'error', message: expect.stringMatching(/^missing front matter/) }] } });
    expect((await save(EDDY.token, 'knowledge/support/gift-cards.md', '# Mine\n\nMine.\n', 0)).status).toBe(409);
    const article = `---\ntitle: Gift cards\nquestions:\n  - Do gift cards expire?\ntags: [gift cards]\n---\n${body}`;
    expect((await save(EVE.token, 'knowledge/support/gift-cards.md', article, 1)).json).toEqual({ version: 2, problems: [] });

    const ask = async () => (await say(t.url, randomUUID(), 'm1', { text: 'Do your gift cards expire?' })).replies.map((r) => r.text).join('\n');
    expect(await ask()).not.toContain('never expire');
    // "Try a question" asks the drafts' knowledge base.
    const tried = await api(EVE.token, 'POST', '/studio/api/ask', { question: 'Do your gift cards expire?' });
    expect(tried.json).toMatchObject({ answer: expect.stringContaining('never expire'), sources: ['Gift cards'] });
    const giftCards = await api(EVE.token, 'POST', '/studio/api/publish', { message: 'gift cards' });
    expect(giftCards.json).toMatchObject({ release: { release: 4 } });
    expect(await ask()).toContain('never expire');
    expect((await api(EVE.token, 'GET', '/studio/api/files')).json.map((f: { path: string }) => f.path)).not.toContain('flows/returns.test.yaml');
  });
});
