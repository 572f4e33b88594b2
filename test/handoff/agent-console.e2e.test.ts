import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, BEN, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/** The agent workspace in Debian's Chromium: sign in, see a handoff live, read it, answer, link an identity, resolve. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 15_000 };
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> where is my parcel?';

describe('agent workspace in a real browser', () => {
  let t: HandoffApp;
  let browser: Browser;

  beforeAll(async () => {
    // WhatsApp on (no message goes there), so an agent can link a customer's WhatsApp number.
    t = await startHandoffApp({ WHATSAPP_VERIFY_TOKEN: 'verify', WHATSAPP_APP_SECRET: 'secret', WHATSAPP_ACCESS_TOKEN: 'token' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("signs in, shows a new handoff live, renders customer text as text, the reply reaches the customer, and links the customer's WhatsApp number", { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/agent`);
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    // Someone guessing Ben's password is told why the sixth try is refused, even a right one.
    await page.locator('#agent-id').fill('ben');
    for (let i = 0; i < 5; i++) {
      await page.locator('#agent-password').fill(`guess ${i}`);
      await page.locator('#sign-in').click();
      await page.locator('#login-error', { hasText: 'Unknown agent or wrong password.' }).waitFor(WAIT);
      await page.evaluate(() => (document.getElementById('login-error')!.textContent = ''));
    }
    await page.locator('#agent-password').fill(BEN.password);
    await page.locator('#sign-in').click();
    await page.locator('#login-error', { hasText: 'Too many failed sign-ins; try again in 15 minutes.' }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe('/agent/login');

    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill(ANA.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/agent`, WAIT);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(WAIT);

    // The customer writes an HTML payload, then asks for a person: the handoff appears without a reload.
    await say(t.url, 'xss1', 'm1', { text: XSS });
    await say(t.url, 'xss1', 'm2', { text: 'human' });
    const item = page.getByRole('listbox', { name: 'Waiting conversations' }).getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, waiting/ });
    await item.waitFor(WAIT);
    await item.click();
    const conversation = page.getByRole('main', { name: /^Conversation with/ });
    const customerLine = conversation.locator('li[data-kind="customer"] .bubble').first();
    await customerLine.waitFor(WAIT);
    expect(await customerLine.textContent()).toBe(XSS);
    expect(await page.locator('.sidebar .summary').textContent()).toContain('<img src=x');
    expect(await page.locator('.conversation img, .conversation script, .sidebar img, .sidebar script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await conversation.getByRole('button', { name: 'Claim', exact: true }).click();
    await conversation.getByText('With you', { exact: true }).waitFor(WAIT);
    await page.getByRole('textbox', { name: 'Reply to the customer' }).fill('Hello! Let me check your parcel.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await conversation.locator('li[data-kind="agent"]', { hasText: 'Let me check your parcel' }).waitFor(WAIT);
    const customerSees = await eventually(async () => {
      const lines = await webTranscript(t.url, 'xss1');
      return lines.find((line) => line.text === 'Hello! Let me check your parcel.');
    });
    expect(customerSees.direction).toBe('out');

    // The customer told Ana their WhatsApp number on the phone: she links it to them. A mistyped one is refused
    // with the reason and stores nothing.
    await page.getByRole('button', { name: 'Link another identity…' }).click();
    await page.locator('.link-form').getByRole('button', { name: /Channel/ }).click();
    await page.getByRole('option', { name: 'WhatsApp' }).click();
    const identity = page.getByRole('textbox', { name: 'Identity' });
    await identity.fill('call me maybe');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    const linkResult = page.locator('.link-result');
    await linkResult.filter({ hasText: 'Not linked: With.identity: not an identity on whatsapp' }).waitFor(WAIT);
    await identity.fill('+49 151 23456789');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await linkResult.filter({ hasText: 'Linked. This customer is known on: ' }).waitFor(WAIT);
    expect(await linkResult.textContent()).toContain('WhatsApp +4915123456789');
    const owners = await sqlOf(t.app.store).query<{ customer_id: string }>(`SELECT customer_id FROM identities WHERE channel = 'whatsapp'`);
    const handedOver = await sqlOf(t.app.store).query<{ customer_id: string }>('SELECT c.customer_id FROM handoffs h JOIN conversations c ON c.id = h.conversation_id');
    expect(owners.rows).toEqual([{ customer_id: handedOver.rows[0]!.customer_id }]);

    await conversation.getByRole('button', { name: 'Resolve' }).click();
    const resolve = page.getByRole('dialog', { name: /^Resolve the conversation/ });
    await resolve.getByText('Solved', { exact: true }).click();
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('heading', { name: /^Resolved: / }).waitFor(WAIT);
    await page.getByRole('listbox', { name: 'Waiting conversations' }).getByText('Nobody is waiting', { exact: true }).waitFor(WAIT);
    expect(errors).toEqual([]);
    await page.close();
  });
});
