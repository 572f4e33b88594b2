import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { bot, buttonTitles, customer, launchChromium, transcript, type, WAIT } from '../support/webchat-browser.ts';

/**
 * The demo storefront and its chat widget in a real Chromium, against a real `parley start` process:
 * what a customer sees and does, from opening the chat to reloading the page.
 */

const GREETING = [bot(/welcome to Brightwave/i), bot(/what can I help you with/i)];

describe('web chat in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop('SIGTERM');
      removeDataDir(server.dataDir);
    }
  });

  beforeEach(async () => {
    // A fresh profile per test: its own localStorage, so its own conversation.
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
  });

  afterEach(async () => {
    await context?.close();
  });

  async function openChatAndSeeGreeting(): Promise<void> {
    await page.locator('#parley-launcher').click();
    await page.locator('#parley-panel').waitFor({ state: 'visible', ...WAIT });
    await expect.poll(() => transcript(page), WAIT).toEqual(GREETING);
    await expect.poll(() => buttonTitles(page), WAIT).toEqual(['Order status', 'Returns', 'Hours & contact', 'Talk to a person', 'Deutsch']);
  }

  it('greets, walks the order-status flow by button and by typing, and shows the same conversation after a reload', { timeout: 60_000 }, async () => {
    await openChatAndSeeGreeting();

    await page.getByRole('button', { name: 'Order status' }).click();
    const asked = [...GREETING, customer('Order status'), bot(/what's your order number/i)];
    await expect.poll(() => transcript(page), WAIT).toEqual(asked);
    // The menu's buttons belonged to the greeting; the question has none.
    expect(await buttonTitles(page)).toEqual([]);

    await type(page, '12345');
    const retried = [...asked, customer('12345'), bot(/doesn't look like an order number/i)];
    await expect.poll(() => transcript(page), WAIT).toEqual(retried);

    // The demo order API does not know this number: the flow says so and asks again.
    await type(page, 'BW-99999', 'send-button');
    const continued = [
      ...retried, customer('BW-99999'), bot(/couldn't find an order with the number BW-99999/i), bot(/type it again/i),
    ];
    await expect.poll(() => transcript(page), WAIT).toEqual(continued);
    await expect.poll(() => page.locator('#parley-messages .parley-sending').count(), WAIT).toBe(0);
    expect(await page.locator('#parley-input').inputValue()).toBe('');

    const beforeReload = await transcript(page);
    await page.reload();
    // The chat stays open across the reload and shows the conversation from the server: same lines, same order.
    await page.locator('#parley-panel').waitFor({ state: 'visible', ...WAIT });
    await expect.poll(() => transcript(page), WAIT).toEqual(beforeReload);

    // It is the same conversation, not a new one: the flow goes on where it was, and looks the order up.
    await type(page, 'BW-12345');
    await expect
      .poll(() => transcript(page), WAIT)
      .toEqual([...beforeReload, customer('BW-12345'), bot(/^Good news: order BW-12345 is on its way with UPS/)]);
    const trackingLink = page.locator('#parley-messages a[href="https://www.ups.com/track?tracknum=1Z999AA10123456784"]');
    expect(await trackingLink.count()).toBe(1);
    expect(await buttonTitles(page)).toEqual(['Main menu', 'Talk to a person']);

    // Nothing on screen twice: every message is one server message.
    const ids = await page.locator('#parley-messages .parley-message').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pageErrors).toEqual([]);
  });

  it("greets a German browser in German and goes on in German", { timeout: 60_000 }, async () => {
    const german = await browser.newContext({ locale: 'de-DE' });
    try {
      const dePage = await german.newPage();
      await dePage.goto(server.url);
      await dePage.locator('#parley-launcher').click();
      await expect.poll(() => transcript(dePage), WAIT).toEqual([bot(/willkommen bei Brightwave/i), bot(/wobei kann ich Ihnen helfen/i)]);
      await dePage.getByRole('button', { name: 'Bestellstatus' }).click();
      await expect.poll(async () => (await transcript(dePage)).at(-1), WAIT).toEqual(bot(/Bestellnummer/));
    } finally {
      await german.close();
    }
  });

  it('shows a message containing HTML as text and never runs it, live and after a reload', { timeout: 60_000 }, async () => {
    const attack = '<img src=x onerror="window.__xss=1"> where is my order?';
    await openChatAndSeeGreeting();

    await type(page, attack);
    await expect.poll(() => transcript(page), WAIT).toEqual([...GREETING, customer(attack), bot(/order number/i)]);
    const inMessages = page.locator('#parley-messages');
    expect(await inMessages.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    await page.reload();
    await page.locator('#parley-panel').waitFor({ state: 'visible', ...WAIT });
    await expect.poll(() => transcript(page), WAIT).toEqual([...GREETING, customer(attack), bot(/order number/i)]);
    expect(await inMessages.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
