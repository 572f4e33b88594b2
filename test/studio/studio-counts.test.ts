import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * What Parley Studio tells an editor beyond the files themselves: per step of a flow, how many conversations reached
 * it, stopped there and were handed over (counts only); a file's problems as it opens, errors told from warnings;
 * and an editor flooding the preview, the questions and the test runs waits (429, Retry-After).
 */
const EVE = { id: 'eve', token: 'eve-token-0123456789abcdef' };
const EDDY = { id: 'eddy', token: 'eddy-token-0123456789abcdef' };
const ADA = { id: 'ada', token: 'ada-token-0123456789abcdef' };
const AGENTS = JSON.stringify([
  { id: ADA.id, name: 'Ada', editor: true, token: hashToken(ADA.token) },
  { id: EVE.id, name: 'Eve', editor: true, token: hashToken(EVE.token) },
  { id: EDDY.id, name: 'Eddy', editor: true, queues: ['support'], token: hashToken(EDDY.token) },
]);

let t: TestApp;
let prefix: string;

beforeAll(async () => {
  prefix = freshPrefix();
  t = await startTestApp({ AGENTS, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', STUDIO_TRY_LIMIT: '3' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
});

async function api(token: string, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${t.url}${pathname}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json().catch(() => null)) as any };
}

describe('opening the page', () => {
  it('starts loading the drafts for the preview while the browser loads the page', { timeout: 60_000 }, async () => {
    expect(t.logs.some((line) => line.includes('studio preview ready'))).toBe(false);
    const page = await fetch(`${t.url}/studio`, { headers: { authorization: `Bearer ${ADA.token}` }, redirect: 'manual' });
    expect(page.status).toBe(200);
    await expect.poll(() => t.logs.some((line) => line.includes('studio preview ready')), { timeout: 45_000 }).toBe(true);
  });
});

describe('the flow map\'s counts', () => {
  it('per step: conversations that reached it, stopped there, and were handed to a person from it; nothing about who', { timeout: 60_000 }, async () => {
    const before = await api(EVE.token, 'GET', '/studio/api/flows/returns/stats');
    expect(before).toMatchObject({ status: 200, json: { flow: 'returns', conversations: 0, handedOver: 0, steps: [] } });

    // Three customers start a return: one goes quiet at the question, one asks for a person there, one answers.
    await say(t.url, 'stats-quiet', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'stats-person', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'stats-person', 'm2', { text: 'I want to talk to a person' });
    await say(t.url, 'stats-answer', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'stats-answer', 'm2', { payload: 'unopened' });
    // Just now, nobody has stopped yet: dropping off takes half an hour of quiet.
    const now = await api(EVE.token, 'GET', '/studio/api/flows/returns/stats');
    expect(now.json.steps.find((s: any) => s.step === 'ask_condition')).toEqual({ step: 'ask_condition', reached: 3, droppedOff: 0, handedOver: 1 });
    expect(now.json).toMatchObject({ conversations: 3, handedOver: 1 });

    await sqlOf(t.app.store).query(`UPDATE analytics_turns SET at = at - interval '1 hour'`);
    const later = await api(EVE.token, 'GET', '/studio/api/flows/returns/stats?days=7');
    expect(later.json.steps.find((s: any) => s.step === 'ask_condition')).toEqual({ step: 'ask_condition', reached: 3, droppedOff: 1, handedOver: 1 });
    // Counts only: no conversation, customer or text anywhere in the answer.
    expect(JSON.stringify(later.json)).not.toMatch(/stats-|[0-9a-f]{8}-[0-9a-f]{4}-|headphones|person/);
    expect(Object.keys(later.json).sort()).toEqual(['conversations', 'flow', 'handedOver', 'since', 'steps']);

    // Steps that do not wait count too: the greeting before the question, and the check after it.
    const steps = new Map(later.json.steps.map((s: any) => [s.step, s]));
    expect(steps.get('#1')).toEqual({ step: '#1', reached: 3, droppedOff: 0, handedOver: 0 });
    expect(steps.get('#3')).toMatchObject({ reached: 1 });

    expect((await api(EVE.token, 'GET', '/studio/api/flows/..%2Fx/stats')).status).toBe(400);
    expect((await api(EVE.token, 'GET', '/studio/api/flows/returns/stats?days=0')).status).toBe(400);
  });
});

describe('the flow map\'s counts on a handoff step', () => {
  it('counts the conversations that reached it and that it handed to a person', { timeout: 60_000 }, async () => {
    const before = await api(EVE.token, 'GET', '/studio/api/flows/human/stats');
    // The first branch's handoff (a desk is open here: Eddy works a queue).
    const handoffs = (json: any) => json.steps.find((s: any) => s.step === '#1.then.2') ?? { reached: 0, handedOver: 0 };
    await say(t.url, 'stats-handoff', 'm1', { text: 'agent' });
    const after = await api(EVE.token, 'GET', '/studio/api/flows/human/stats');
    expect(handoffs(after.json).reached - handoffs(before.json).reached).toBe(1);
    expect(handoffs(after.json).handedOver - handoffs(before.json).handedOver).toBe(1);
    expect(handoffs(after.json).droppedOff).toBe(0);
  });
});

describe('a file as it opens', () => {
  it('comes with its problems; the list tells errors from warnings', async () => {
    const list = await api(EVE.token, 'GET', '/studio/api/files');
    const contact = list.json.find((f: any) => f.path === 'flows/contact.yaml');
    expect(contact.problems).toBeGreaterThan(0); // keyword warnings, as `flows check` gives them
    expect(contact.errors).toBe(0);
    const opened = await api(EVE.token, 'GET', '/studio/api/files/flows/contact.yaml');
    expect(opened.json.problems).toHaveLength(contact.problems);
    expect(opened.json.problems.every((p: any) => p.severity === 'warning' && p.line > 0 && p.col > 0 && p.message)).toBe(true);

    const broken = opened.json.content.replace('  - say:', '  - ssay:');
    const saved = await api(EVE.token, 'PUT', '/studio/api/files/flows/contact.yaml', { content: broken, baseVersion: opened.json.version });
    expect(saved.status).toBe(200);
    const reopened = await api(EVE.token, 'GET', '/studio/api/files/flows/contact.yaml');
    expect(reopened.json.problems).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringContaining("did you mean 'say'") }));
    expect((await api(EVE.token, 'GET', '/studio/api/files')).json.find((f: any) => f.path === 'flows/contact.yaml').errors).toBe(1);
    await api(EVE.token, 'PUT', '/studio/api/files/flows/contact.yaml', { content: opened.json.content, baseVersion: saved.json.version });
  });
});

describe('the report\'s "write the article"', () => {
  it('drafts an article for unanswered questions, with their wordings; the same questions again open it, another gets its own file', async () => {
    const questions = ['do you sell lawn mowers?', 'lawn mower in stock?'];
    const created = await api(EVE.token, 'POST', '/studio/api/articles', { questions });
    expect(created).toMatchObject({ status: 201, json: { path: 'knowledge/do-you-sell-lawn-mowers.md' } });
    const opened = await api(EVE.token, 'GET', '/studio/api/files/knowledge/do-you-sell-lawn-mowers.md');
    expect(opened.json).toMatchObject({ draft: true, version: created.json.version });
    expect(opened.json.content).toContain('title: "do you sell lawn mowers"\nquestions:\n  - "do you sell lawn mowers?"\n  - "lawn mower in stock?"');
    expect((await api(EVE.token, 'GET', '/studio/api/releases')).json[0].files).not.toContain('knowledge/do-you-sell-lawn-mowers.md'); // a draft, unpublished

    expect(await api(EDDY.token, 'POST', '/studio/api/articles', { questions })).toMatchObject({ status: 200, json: { path: 'knowledge/do-you-sell-lawn-mowers.md' } });
    expect(await api(EDDY.token, 'POST', '/studio/api/articles', { questions: ['Do you sell lawn mowers'] })).toMatchObject({ status: 201, json: { path: 'knowledge/do-you-sell-lawn-mowers-2.md' } });
    expect((await api(EVE.token, 'POST', '/studio/api/articles', { questions: [] })).status).toBe(400);
  });
});

describe('the preview in another language', () => {
  it('greets in the language chosen for the conversation, from its opening turn', { timeout: 60_000 }, async () => {
    const opened = await api(EDDY.token, 'POST', '/studio/api/preview', { conversationId: 'in-german', locale: 'de' });
    expect(opened.status).toBe(200);
    expect(opened.json.replies[0].text).toMatch(/^Hallo und willkommen bei Brightwave/);
  });
});

describe('the tests beside a preview', () => {
  it('running the conversation tests leaves a preview conversation where it was', { timeout: 90_000 }, async () => {
    await api(ADA.token, 'POST', '/studio/api/preview', { conversationId: 'mid-flow', text: 'I want to return my headphones' });
    const run = await api(ADA.token, 'POST', '/studio/api/tests', {});
    expect(run.status).toBe(200);
    expect(run.json.flatMap((file: any) => file.tests).filter((test: any) => test.failure)).toEqual([]);
    const next = await api(ADA.token, 'POST', '/studio/api/preview', { conversationId: 'mid-flow', payload: 'unopened' });
    expect(next.json).toMatchObject({ flow: null });
    expect(next.json.replies[0].text).toMatch(/unopened/i);
  });
});

describe('an editor flooding the engine', () => {
  it('gets 429 RATE_LIMITED with Retry-After on preview, ask and tests past STUDIO_TRY_LIMIT; another editor is not held up', { timeout: 90_000 }, async () => {
    const ask = (token: string) => api(token, 'POST', '/studio/api/ask', { question: 'when are you open?' });
    for (let i = 0; i < 3; i++) expect((await ask(EVE.token)).status).toBe(200);
    for (const refused of [await ask(EVE.token), await api(EVE.token, 'POST', '/studio/api/preview', { conversationId: 'flood', text: 'hi' }), await api(EVE.token, 'POST', '/studio/api/tests', {})]) {
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await ask(EDDY.token)).status).toBe(200);
  });
});
