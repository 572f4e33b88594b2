import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { bot, customer, launchChromium, transcript, type, WAIT } from '../support/webchat-browser.ts';

/**
 * The widget's own text (status line, placeholder, buttons, screen-reader labels, "Sending…", times) in the
 * customer's language, in a real Chromium against a real `parley start` process.
 */

/**
 * A German shop on its own origin that embeds the widget from Parley's, as a customer's site does, under a strict
 * CSP: no inline script or style, scripts, styles and connections to Parley only.
 */
async function startGermanShop(parley: string): Promise<{ url: string; server: Server }> {
  const socket = parley.replace(/^http/, 'ws');
  const csp = `default-src 'none'; script-src ${parley}; style-src ${parley}; connect-src ${socket}; base-uri 'none'`;
  const html = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Laden</title>
<link rel="stylesheet" href="${parley}/widget/parley-chat.css"><script src="${parley}/widget/parley-chat.js" defer></script>
</head><body><h1>Willkommen im Laden</h1></body></html>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** What the widget itself says, as a customer and a screen reader meet it. */
async function widgetTexts(page: Page) {
  return page.evaluate(() => ({
    lang: document.querySelector('#parley-root')?.getAttribute('lang'),
    launcher: document.querySelector('#parley-launcher')?.getAttribute('aria-label'),
    close: document.querySelector('.parley-close')?.getAttribute('aria-label'),
    dialog: document.querySelector('#parley-panel')?.getAttribute('aria-label'),
    log: document.querySelector('#parley-messages')?.getAttribute('aria-label'),
    placeholder: document.querySelector('#parley-input')?.getAttribute('placeholder'),
    inputLabel: document.querySelector('label[for="parley-input"]')?.textContent,
    send: document.querySelector('#parley-send')?.getAttribute('aria-label'),
    status: document.querySelector('.parley-status-text')?.textContent,
    footer: document.querySelector('.parley-footer')?.textContent,
  }));
}

/** The widget's own text in German, once it is connected. */
const GERMAN = {
  lang: 'de',
  launcher: 'Chat öffnen',
  close: 'Chat schließen',
  dialog: 'Chat mit Brightwave',
  log: 'Nachrichten',
  placeholder: 'Nachricht schreiben…',
  inputLabel: 'Ihre Nachricht',
  send: 'Senden',
  status: 'Antwort meist in wenigen Sekunden',
  footer: 'Bereitgestellt von Parley',
};

const times = (page: Page) => page.locator('#parley-messages time.parley-time').allTextContents();

describe('the web chat widget in the customer language', () => {
  let server: ServerProcess;
  let browser: Browser;
  let shop: { url: string; server: Server };

  beforeAll(async () => {
    server = await startServerProcess();
    shop = await startGermanShop(server.url);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    shop?.server.close();
    if (server) {
      await server.stop('SIGTERM');
      removeDataDir(server.dataDir);
    }
  });

  it('on a page with lang="de" (a browser in a language it does not speak) is German, and so is the greeting', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      // Frames from the widget pass to the server until `hold` is set: then the customer's message stays unsent.
      let hold = false;
      await page.routeWebSocket(/\/api\/webchat\/socket/, (ws) => {
        const parley = ws.connectToServer();
        ws.onMessage((frame) => {
          if (!hold) parley.send(frame);
        });
      });
      await page.goto(shop.url);

      await expect.poll(() => page.locator('#parley-launcher').getAttribute('aria-label'), WAIT).toBe('Chat öffnen');
      await page.getByRole('button', { name: 'Chat öffnen' }).click();
      await expect.poll(() => transcript(page), WAIT).toEqual([bot(/willkommen bei Brightwave/i), bot(/wobei kann ich Ihnen helfen/i)]);
      await expect.poll(() => widgetTexts(page), WAIT).toEqual(GERMAN);
      // Times as German readers write them: 24-hour clock, no AM/PM.
      for (const time of await times(page)) expect(time).toMatch(/^\d{2}:\d{2}$/);
      // The screen reader's names are the German ones.
      expect(await page.getByRole('dialog', { name: 'Chat mit Brightwave' }).count()).toBe(1);
      expect(await page.getByRole('textbox', { name: 'Ihre Nachricht' }).count()).toBe(1);

      hold = true;
      await type(page, 'Wo ist meine Bestellung?');
      await expect.poll(() => page.locator('#parley-messages .parley-state').allTextContents(), WAIT).toEqual(['Wird gesendet…']);
      await page.screenshot({ path: '/tmp/webchat-de-page.png' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on an English page switches its own text to German when the customer writes German and the bot answers in German', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Open chat' }).click();
      await expect.poll(() => transcript(page), WAIT).toEqual([bot(/welcome to Brightwave/i), bot(/what can I help you with/i)]);
      await expect.poll(() => widgetTexts(page), WAIT).toMatchObject({
        lang: 'en-US', placeholder: 'Write a message…', send: 'Send', close: 'Close chat', status: 'We usually reply in a few seconds',
      });
      for (const time of await times(page)) expect(time).toMatch(/^\d{1,2}:\d{2}\s?[AP]M$/);
      await page.screenshot({ path: '/tmp/webchat-en-before.png' });

      await type(page, 'Wo ist meine Bestellung?');
      await expect.poll(async () => (await transcript(page)).slice(2), WAIT).toEqual([customer('Wo ist meine Bestellung?'), bot(/Bestellnummer/)]);
      await expect.poll(() => widgetTexts(page), WAIT).toEqual(GERMAN);
      for (const time of await times(page)) expect(time).toMatch(/^\d{2}:\d{2}$/);
      await page.screenshot({ path: '/tmp/webchat-en-switched-de.png' });

      // A reload keeps the conversation's language from the first frame on.
      await page.reload();
      await page.locator('#parley-panel').waitFor({ state: 'visible', ...WAIT });
      expect((await widgetTexts(page)).placeholder).toBe('Nachricht schreiben…');
      await expect.poll(async () => (await transcript(page)).length, WAIT).toBe(4);
      expect((await widgetTexts(page)).close).toBe('Chat schließen');
    } finally {
      await context.close();
    }
  });
});
