import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix } from '../../handoff/support.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { until } from '../../support/poll.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { incoming, Phone } from './stand-in-client.ts';
import { ADMIN, ADMIN_TOKEN, appEnv, chat, fast, get, terminal, type TestDatabase } from './support.ts';
import { sqlOf } from '../../support/sql.ts';

/** The agent workspace in Debian's Chromium shows where each reply to a WhatsApp Web customer is: sent, read, waiting. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 15_000 };
const CLIENT_ID = `e${process.pid}x${Date.now().toString(36)}`;

describe('delivery states in the agent console, in a real browser', () => {
  const phone = new Phone();
  let database: TestDatabase;
  let prefix: string;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = freshPrefix();
    phone.linked = true;
    t = await startTestApp(appEnv(database, prefix, CLIENT_ID), { whatsappWeb: fast(phone, terminal().output) });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await dropPrefix(prefix);
    await dropPrefix(`parley:whatsapp-web:${CLIENT_ID}`);
    await database?.drop();
  });

  it('marks replies sent and read, and a reply outside the window as waiting with the reason', async () => {
    await until(() => get(`${t.url}/admin/whatsapp-web/status`, ADMIN_TOKEN), (r) => r.body.whatsappWeb.state === 'ready', 'the connection');
    const customer = chat();
    phone.current!.deliver(incoming(customer, 'I want to talk to a person'));

    const login = await fetch(`${t.url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ADMIN.token }) });
    const session = /parley_agent=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'parley_agent', value: session, url: t.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/agent`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(WAIT);
    // Admins get the link to the WhatsApp Web login.
    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'WhatsApp Web sign-in' }).waitFor(WAIT);
    await page.keyboard.press('Escape');

    await page.getByRole('listbox', { name: 'Waiting conversations' }).getByRole('option', { name: /, waiting/ }).click();
    const transcript = page.getByRole('region', { name: 'Transcript' });
    await transcript.locator('li[data-kind="bot"] .delivery', { hasText: 'Sent' }).first().waitFor(WAIT);
    expect(await transcript.locator('li[data-kind="customer"] .delivery').count()).toBe(0);

    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    const reply = page.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Hi, this is Root.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await until(() => phone.sentTo(customer), (sent) => sent.includes('Hi, this is Root.'), "the agent's reply");
    phone.current!.ack(phone.sent.find((m) => m.text === 'Hi, this is Root.')!.id, 3);
    await transcript.locator('li[data-kind="agent"] .delivery', { hasText: 'Read' }).waitFor(WAIT);

    const conversation = (await t.app.store.findConversation('whatsapp-web', `${CLIENT_ID}:${customer}`))!;
    await sqlOf(t.app.store).query(`UPDATE messages SET created_at = now() - interval '25 hours' WHERE conversation_id = $1 AND direction = 'in'`, [conversation.id]);
    await reply.fill('Your refund went out today.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const waiting = transcript.locator('li[data-kind="agent"]', { hasText: 'Your refund went out today.' }).locator('.delivery[data-state="waiting"]');
    await waiting.waitFor(WAIT);
    expect(await waiting.textContent()).toMatch(/^Waiting — waiting: outside the 24-hour window .* sent when the customer writes again$/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
