import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { launchChromium, transcript, WAIT } from '../support/webchat-browser.ts';

/**
 * The widget while people are involved (issue 17), in a real Chromium against a real `parley start`: outside the
 * opening hours the status line says when the team is back and the customer is told so when handed over; an agent's
 * typing shows with their name, the customer's typing reaches the agent, and the agent's replies carry their name.
 */
const TOKEN = 'ana-token-webchat-people-0123456789';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

describe('the web chat with people behind it', () => {
  let server: ServerProcess;
  let browser: Browser;
  const prefix = freshPrefix();
  const now = new Date();
  const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 9, 0));

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        AGENTS: JSON.stringify([{ id: 'ana', name: 'Ana', queues: ['support'], token: hashToken(TOKEN) }]),
        HANDOFF_QUEUE_PREFIX: prefix,
        OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week: { [DAYS[opening.getUTCDay()]!]: '09:00-17:00' } }),
      },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop('SIGTERM');
      removeDataDir(server.dataDir);
    }
    await dropPrefix(prefix);
  });

  it('says when the team is back, shows who is typing and who answered', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => { if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`); });
    await page.goto(server.url);
    await page.locator('#parley-launcher').click();
    const weekday = opening.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    await expect.poll(() => page.locator('.parley-status-text').textContent(), WAIT).toBe(`Our team is back ${weekday} 09:00; the assistant answers now`);

    await page.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(async () => (await transcript(page)).at(-1)?.text ?? '', WAIT).toMatch(new RegExp(`^Our team is away right now and will be back ${weekday} at 09:00\\. You can leave your message here`));

    const handoffs = async () => (await (await fetch(`${server.url}/agent/api/handoffs`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).handoffs;
    await expect.poll(async () => (await handoffs()).length, WAIT).toBe(1);
    const [handoff] = await handoffs();
    const agent = new WebSocket(`${server.url.replace('http', 'ws')}/agent/api/socket`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const frames: any[] = [];
    agent.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => agent.once('open', resolve));
    await expect.poll(() => frames.some((f) => f.type === 'ready'), WAIT).toBe(true);

    // The customer types: the agent sees it (nothing is sent until Enter).
    await page.locator('#parley-input').pressSequentially('my parcel', { delay: 20 });
    await expect.poll(() => frames.find((f) => f.type === 'typing')?.who, WAIT).toBe('customer');
    // The agent types: the widget says so, with the agent's name.
    agent.send(JSON.stringify({ type: 'typing', handoffId: handoff.id }));
    await expect.poll(() => page.locator('.parley-typing').isVisible(), WAIT).toBe(true);
    expect(await page.locator('.parley-typing').textContent()).toContain('Ana is typing');

    await fetch(`${server.url}/agent/api/handoffs/${handoff.id}/replies`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ messageId: 'r1', text: 'Hello, Ana here.' }),
    });
    const reply = page.locator('#parley-messages .parley-message', { hasText: 'Hello, Ana here.' });
    await reply.waitFor(WAIT);
    expect(await reply.locator('.parley-sender').textContent()).toBe('Ana');
    expect(await page.locator('#parley-messages .parley-sender').count()).toBe(1);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });
});
