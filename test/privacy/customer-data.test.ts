/**
 * A customer's data on request, on PGlite: they ask in the chat ("please delete my data"), an admin sees the request,
 * exports their data and erases it; afterwards no table and no Redis key holds anything that identifies them, the
 * other customer's data is intact, and the audit row names no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { ADMIN_TOKEN, findInRedis, findInTables, identifiers, person, seed, uniquePrefix } from './support.ts';
import { sqlOf } from '../support/sql.ts';

const prefix = uniquePrefix();
const alice = person('Alice Wonderland', '0151 23456789', '491512345678', 'alice.w@example.org');
const bob = person('Bob Builder', '0171 9876543', '491719876543', 'bob.b@example.net');
const germanConversation = `de-${uniquePrefix().slice(1, -1)}`;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('export and erase on request (PGlite)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'info' });
    await seed(t, alice, { asksErase: true });
    await seed(t, bob, { asksErase: false });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('asks to confirm in German too, and "no" changes nothing', async () => {
    const asked = await say(t.url, germanConversation, 'm1', { text: 'Bitte löschen Sie meine Daten' });
    expect(asked.replies.at(-1)).toMatchObject({
      text: expect.stringMatching(/^Sie möchten, dass wir die Daten löschen/),
      buttons: [{ title: 'Ja, Daten löschen', payload: '#privacy:erase' }, { title: 'Nein, abbrechen', payload: '#privacy:cancel' }],
    });
    const typed = await say(t.url, germanConversation, 'm2', { text: 'nein' });
    expect(typed.replies.map((r) => r.text)).toEqual(['In Ordnung, es bleibt alles, wie es ist.']);
    const list = await fetch(`${t.url}/admin/data-requests`, { headers: auth }).then((r) => r.json());
    expect(list.requests.filter((r: { customerId: string }) => r.customerId !== alice.customerId)).toEqual([]);
  });

  it('understands the request in other words, and still asks before anything is opened', async () => {
    const conversation = `words-${uniquePrefix().slice(1, -1)}`;
    const asked = await say(t.url, conversation, 'm1', { text: 'please wipe everything you know about me from your systems' });
    expect(asked.replies.at(-1)).toMatchObject({
      text: expect.stringMatching(/^You'd like us to delete the data we hold about you/),
      buttons: [{ title: 'Yes, delete my data', payload: '#privacy:erase' }, { title: 'No, keep it', payload: '#privacy:cancel' }],
    });
    const cancelled = await say(t.url, conversation, 'm2', { payload: '#privacy:cancel' });
    expect(cancelled.replies.map((r) => r.text)).toEqual(['All right, nothing has changed.']);
    const howTo = await say(t.url, conversation, 'm3', { text: 'how do I delete the app' });
    expect(howTo.replies.map((r) => r.text).join(' ')).not.toMatch(/delete the data we hold about you/);
  });

  it('lists the request to admins only', async () => {
    expect((await fetch(`${t.url}/admin/data-requests`)).status).toBe(401);
    expect((await fetch(`${t.url}/admin/data-requests`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await fetch(`${t.url}/admin/data-requests?status=maybe`, { headers: auth })).status).toBe(400);
    const response = await fetch(`${t.url}/admin/data-requests?status=open`, { headers: auth });
    expect(response.status).toBe(200);
    const { requests } = await response.json();
    expect(requests).toEqual([expect.objectContaining({ kind: 'erase', customerId: alice.customerId, source: 'conversation', status: 'open' })]);

    const signIn = await fetch(`${t.url}/admin/privacy`, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/agent/login?next=%2Fadmin%2Fprivacy');
    // The page (test/privacy/privacy-page.e2e.test.ts shows it in a browser) lists what /admin/data-requests answers.
    const page = await fetch(`${t.url}/admin/privacy`, { headers: auth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/admin/assets/admin.js');
  });

  it('exports everything about the customer, found by a channel identity', async () => {
    expect((await fetch(`${t.url}/admin/customers/${alice.customerId}/export`)).status).toBe(401);
    expect((await fetch(`${t.url}/admin/customers/web%3Anobody-here/export`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${t.url}/admin/customers/not-an-id/export`, { headers: auth })).status).toBe(400);
    const response = await fetch(`${t.url}/admin/customers/${encodeURIComponent(`whatsapp:+${alice.whatsapp}`)}/export`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`customer-${alice.customerId}.json`);
    const data = await response.json();
    expect(data.customer).toMatchObject({ id: alice.customerId, display_name: alice.name });
    expect(data.tables.identities.map((i: { channel: string }) => i.channel).sort()).toEqual(['web', 'whatsapp']);
    expect(data.tables.conversations).toEqual([expect.objectContaining({ id: alice.conversationId, state: expect.any(Object) })]);
    expect(data.tables.messages.map((m: { text: string }) => m.text)).toContain(`Hi, I am ${alice.name}, my number is ${alice.phone} and my email ${alice.email}`);
    expect(data.tables.handoffs).toEqual([expect.objectContaining({ id: alice.handoffId, context: expect.objectContaining({ version: 2 }) })]);
    expect(data.tables.channel_references).toHaveLength(1);
    expect(data.dataRequests).toEqual([expect.objectContaining({ kind: 'erase', status: 'open' })]);
    expect(data.unansweredQuestions.map((q: { question: string }) => q.question)).toContain('do you sell unicorn saddles for Alice? write to [email]');
    expect(JSON.stringify(data)).not.toContain(bob.email);
  });

  it('erases every trace of the customer, in every table and Redis key, and keeps the other customer', async () => {
    expect(await findInTables(t, identifiers(alice))).not.toEqual([]);
    expect((await fetch(`${t.url}/admin/customers/${alice.customerId}/erase`, { method: 'POST' })).status).toBe(401);
    // Her links: one proved by a code (the customer it absorbed is gone), one an agent vouched for (docs/customers.md).
    await sqlOf(t.app.store).query(`INSERT INTO customer_links (customer_id, absorbed_customer_id, how) VALUES ($1, gen_random_uuid(), 'code')`, [alice.customerId]);
    await sqlOf(t.app.store).query(`INSERT INTO customer_links (customer_id, how, actor, channel) VALUES ($1, 'agent-word', 'ana', 'whatsapp')`, [alice.customerId]);
    const bobBefore = await findInTables(t, identifiers(bob));
    const bobKeys = await findInRedis(t, ['parley:', prefix], identifiers(bob));

    const response = await fetch(`${t.url}/admin/customers/${alice.customerId}/erase`, { method: 'POST', headers: auth });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.counts).toMatchObject({ customers: 1, identities: 2, conversations: 1, handoffs: 1, channel_references: 1, kb_gaps: 1, customer_links: 2 });
    // Nothing of her links is left: not who linked her, nor when, nor the id of the customer she absorbed.
    expect((await sqlOf(t.app.store).query('SELECT 1 FROM customer_links WHERE customer_id = $1', [alice.customerId])).rowCount).toBe(0);
    expect(result.counts.messages).toBeGreaterThanOrEqual(8);
    expect(result.redis.jobs).toBe(1);
    expect(result.redis.keys).toBeGreaterThan(0);

    expect(await findInTables(t, identifiers(alice))).toEqual([]);
    expect(await findInRedis(t, ['parley:', prefix], identifiers(alice))).toEqual([]);
    expect(await findInTables(t, identifiers(bob))).toEqual(bobBefore);
    expect(await findInRedis(t, ['parley:', prefix], identifiers(bob))).toEqual(bobKeys);
    expect(bobKeys.some((hit) => hit.includes(':outbox:sent:'))).toBe(true);

    // The audit row: when, who asked, how many rows; nothing that identifies her.
    const audit = await sqlOf(t.app.store).query<{ requested_by: string; counts: Record<string, number>; data_request_id: string }>('SELECT * FROM erasure_audit');
    expect(audit.rows).toEqual([expect.objectContaining({ requested_by: 'customer request, approved by admin', counts: expect.objectContaining({ customers: 1, redis_keys: result.redis.keys }) })]);
    const requests = await fetch(`${t.url}/admin/data-requests`, { headers: auth }).then((r) => r.json());
    expect(requests.requests).toEqual([expect.objectContaining({ id: audit.rows[0]!.data_request_id, kind: 'erase', customerId: null, status: 'done', doneBy: 'customer request, approved by admin' })]);

    // Gone means gone: a second erase finds no one.
    expect((await fetch(`${t.url}/admin/customers/${alice.customerId}/erase`, { method: 'POST', headers: auth })).status).toBe(404);
    // Four scans of every table for her identifiers: 7-10 s alone, past the default 30 s on a machine running the whole suite.
  }, 90_000);
});
