import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';

/** The agent console in Debian's Chromium: sign in, see a handoff live, read it, answer, resolve. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 15_000 };
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> where is my parcel?';

describe('agent console in a real browser', () => {
  let t: HandoffApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startHandoffApp();
    browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, shows a new handoff live, renders customer text as text, and the reply reaches the customer', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/agent`);
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill(ANA.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/agent`, WAIT);
    await page.locator('#live', { hasText: 'live' }).waitFor(WAIT);

    // The customer writes an HTML payload, then asks for a person: the handoff appears without a reload.
    await say(t.url, 'xss1', 'm1', { text: XSS });
    await say(t.url, 'xss1', 'm2', { text: 'human' });
    const item = page.locator('#handoffs .handoff', { hasText: 'customer asked for a person' });
    await item.waitFor(WAIT);
    await item.click();
    const customerLine = page.locator('#transcript li.customer .text').first();
    await customerLine.waitFor(WAIT);
    expect(await customerLine.textContent()).toBe(XSS);
    expect(await page.locator('#summary').textContent()).toContain('<img src=x');
    expect(await page.locator('#panel img, #panel script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.locator('#claim').click();
    await page.locator('#status', { hasText: 'claimed' }).waitFor(WAIT);
    await page.locator('#reply').fill('Hello! Let me check your parcel.');
    await page.locator('#send').click();
    await page.locator('#transcript li.agent', { hasText: 'Let me check your parcel' }).waitFor(WAIT);
    const customerSees = await eventually(async () => {
      const lines = await webTranscript(t.url, 'xss1');
      return lines.find((line) => line.text === 'Hello! Let me check your parcel.');
    });
    expect(customerSees.direction).toBe('out');

    await page.locator('#outcome').selectOption('solved');
    await page.locator('#resolve').click();
    await page.locator('#empty').waitFor({ state: 'visible', ...WAIT });
    expect(await page.locator('#handoffs .handoff').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
