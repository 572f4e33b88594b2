import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/handoff/agents.ts';
import { ChannelHistory, SlackApi } from '../channels/slack/slack-api.ts';
import { eventually, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { say } from '../support/app.ts';

/**
 * An admin carries out a customer's "delete my data" on the privacy page, in Debian's Chromium: the erase reaches the
 * Slack desk, and what it could not delete there (an agent's own reply in the thread) is told before the page reloads.
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
    browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await slack.close();
  });

  it("erases on the admin's click and says which Slack messages are left for a workspace admin", async () => {
    await say(t.url, 'forget-me', 'm1', { text: 'please delete my data' });
    await say(t.url, 'forget-me', 'm2', { payload: '#privacy:erase' });
    await say(t.url, 'forget-me', 'm3', { text: 'talk to a person' });
    const parent = await eventually(async () => history.firstPost());
    // Parley knows where the handoff's message is once it has stored the desk's reference to it.
    await eventually(async () => (await t.handoffs.findByDeskRef('slack', `${CHANNEL}:${parent.ts}`)) ?? undefined);
    history.personReply(parent.ts, PERSON_TS, 'On it');

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.accept();
    });
    await page.goto(`${t.url}/admin/privacy`);
    await page.waitForURL(/\/agent\/login\?next=/, WAIT);
    await page.locator('#agent-id').fill(ROOT.id);
    await page.locator('#agent-password').fill(ROOT.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/admin/privacy`, WAIT);
    await page.locator('button[data-erase]').click();
    await page.locator('td em', { hasText: 'erased' }).waitFor(WAIT);

    expect(dialogs).toEqual([
      'confirm: Erase this customer and everything Parley holds about them? This cannot be undone.',
      `alert: Erased. slack: 1 message(s) written by people are left there; a workspace admin can delete them: ${CHANNEL}:${PERSON_TS}`,
    ]);
    expect([...history.messages.keys()]).toEqual([PERSON_TS]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
