import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/handoff/agents.ts';
import { ChannelHistory, SlackApi } from '../channels/slack/slack-api.ts';
import { eventually, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { repoRoot, say } from '../support/app.ts';
import { seriousFindings } from '../support/axe.ts';

/**
 * An admin carries out a customer's "delete my data" on the privacy page, in Debian's Chromium: the erase is confirmed
 * in a dialog, reaches the Slack desk, and what it could not delete there (an agent's own reply in the thread) is told
 * on the page; the list then shows the customer erased. Done with the keyboard alone, under the page's CSP, with
 * nothing serious for axe-core. A screenshot is saved with WORKSPACE_SCREENSHOTS set (e.g. docs/images).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 15_000 };
const CHANNEL = 'CAGENTS7';
const PERSON_TS = '1900000000.000700';
const ROOT = { id: 'root', password: 'a long admin password' };

describe('privacy page in a real browser', () => {
  let t: HandoffApp;
  let browser: Browser;
  const slack = new SlackApi();
  const history = new ChannelHistory(CHANNEL);

  beforeAll(async () => {
    slack.respond = history.respond;
    await slack.start();
    const agents = JSON.stringify([{ id: ROOT.id, name: 'Root', queues: ['support'], admin: true, password: hashPassword(ROOT.password) }]);
    t = await startHandoffApp({ AGENTS: agents, SLACK_SIGNING_SECRET: 'slack-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_AGENT_CHANNEL: CHANNEL, SLACK_API_URL: slack.url });
    // The page as these sources build it: the global setup built it with the workspace (test/global-setup.ts).
    browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await slack.close();
  });

  it("erases once the admin confirms, and says which Slack messages are left for a workspace admin", { timeout: 60_000 }, async () => {
    await say(t.url, 'forget-me', 'm1', { text: 'please delete my data' });
    await say(t.url, 'forget-me', 'm2', { payload: '#privacy:erase' });
    await say(t.url, 'forget-me', 'm3', { text: 'talk to a person' });
    const parent = await eventually(async () => history.firstPost());
    // Parley knows where the handoff's message is once it has stored the desk's reference to it.
    await eventually(async () => (await t.handoffs.findByDeskRef('slack', `${CHANNEL}:${parent.ts}`)) ?? undefined);
    history.personReply(parent.ts, PERSON_TS, 'On it');

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(`${t.url}/admin/privacy`);
    await page.waitForURL(/\/agent\/login\?next=/, WAIT);
    await page.locator('#agent-id').fill(ROOT.id);
    await page.locator('#agent-password').fill(ROOT.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/admin/privacy`, WAIT);
    const request = page.getByRole('row').filter({ hasText: 'erase' }).filter({ hasText: 'open' });
    await request.waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Data requests' }).getAttribute('aria-current')).toBe('page');
    expect(await seriousFindings(page)).toEqual([]);
    if (process.env.WORKSPACE_SCREENSHOTS) await page.screenshot({ path: path.resolve(repoRoot, process.env.WORKSPACE_SCREENSHOTS, 'admin-privacy.png') });

    // By keyboard: Enter on the erase button; the dialog asks with Cancel focused, Tab to Erase, Enter.
    const erase = request.getByRole('button', { name: /^Erase / });
    await erase.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Erase this customer?' });
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toContain('Erase this customer and everything Parley holds about them? This cannot be undone.');
    expect(await seriousFindings(page)).toEqual([]);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Erase');
    await page.keyboard.press('Enter');

    await page.getByRole('alert').filter({ hasText: 'Erased.' }).waitFor(WAIT);
    expect(await page.getByRole('alert').filter({ hasText: 'Erased.' }).textContent()).toBe(
      `Erased. slack: 1 message(s) written by people are left there; a workspace admin can delete them: ${CHANNEL}:${PERSON_TS}`);
    await page.locator('td em', { hasText: 'erased' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: /^Erase / }).count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect([...history.messages.keys()]).toEqual([PERSON_TS]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
