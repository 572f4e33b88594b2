import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/handoff/agents.ts';
import { say, type TestApp } from '../support/app.ts';
import { seriousFindings } from '../support/axe.ts';
import { WAIT } from '../support/webchat-browser.ts';
import { startWorkspaceRig, type WorkspaceRig } from './workspace-browser.ts';

/**
 * The workspace's chime in Debian's Chromium (issue 17): a customer writing in a conversation the agent is not looking
 * at plays it, one in the conversation in view does not, and the Sound switch mutes it (kept in this browser) while
 * the notification still shows. What the page plays is read from the browser's Web Audio API: every oscillator the
 * page starts is recorded with its frequency (the chime is two tones, 660 and 880 Hz); Parley's code runs as built.
 */
const ANA = { id: 'ana', password: 'ana-chime-password' };
const FIRST = '3a0f6c1e-5b2d-4e7f-8a9b-0c1d2e3f4a5b';
const SECOND = '4b1a7d2f-6c3e-4f80-9b0c-1d2e3f4a5b6c';

let t: TestApp;
let browser: Browser;
let rig: WorkspaceRig | undefined;

beforeAll(async () => {
  rig = await startWorkspaceRig([{ id: ANA.id, name: 'Ana Lima', queues: ['support'], password: hashPassword(ANA.password) }]);
  ({ t, browser } = rig);
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

/** The tones the page has started so far, and the notifications it has shown. */
const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: number[] }).tones.slice());
const notifications = (page: Page) => page.evaluate(() => (window as unknown as { notes: string[] }).notes.slice());

describe('the new-message chime', () => {
  it('plays for a message in a conversation not in view, not for the one in view, and not once muted', { timeout: 90_000 }, async () => {
    await say(t.url, FIRST, 'm1', { text: 'My parcel from order 1001 never arrived' });
    await say(t.url, FIRST, 'm2', { text: 'I want to talk to a person' });
    await say(t.url, SECOND, 'm1', { text: 'Can I pay by invoice?' });
    await say(t.url, SECOND, 'm2', { text: 'I want to talk to a person' });

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    await context.grantPermissions(['notifications'], { origin: t.url });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const played: number[] = [];
      const shown: string[] = [];
      Object.assign(window, { tones: played, notes: shown });
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        played.push(this.frequency.value);
        return start.apply(this, args);
      };
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      } as typeof Notification;
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${t.url}/agent`);
    await page.locator('#agent-id').fill(ANA.id);
    await page.locator('#agent-password').fill(ANA.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/agent`, WAIT);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(WAIT);
    const sound = page.getByRole('switch', { name: 'Sound' });
    // Sound belongs to the alerts: it cannot be switched while they are off.
    expect(await sound.isDisabled()).toBe(true);
    await page.getByText('Alerts', { exact: true }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Alerts' }).isChecked(), WAIT).toBe(true);
    expect(await sound.isChecked()).toBe(true);
    expect(await seriousFindings(page)).toEqual([]);

    // Ana opens one of the two waiting conversations; the other is not in view.
    const waiting = page.getByRole('listbox', { name: 'Waiting conversations' });
    await expect.poll(() => waiting.getByRole('option', { name: /^Web chat visitor / }).count(), WAIT).toBe(2);
    await waiting.getByRole('option', { name: /^Web chat visitor / }).first().click();
    const transcript = page.getByRole('region', { name: 'Transcript' });
    await expect.poll(async () => /order 1001|pay by invoice/.exec((await transcript.textContent()) ?? '')?.[0], WAIT).toBeTruthy();
    const [IN_VIEW, ELSEWHERE] = (await transcript.textContent())!.includes('order 1001') ? [FIRST, SECOND] : [SECOND, FIRST];
    expect(await tones(page)).toEqual([]);

    // The other customer writes: a notification and the chime.
    await say(t.url, ELSEWHERE, 'm3', { text: 'Hello? Is anyone there?' });
    await expect.poll(() => tones(page), WAIT).toEqual([660, 880]);
    expect(await notifications(page)).toContainEqual(expect.stringMatching(/^New message from /));

    // The customer in view writes: it shows in the transcript, and nothing sounds.
    await say(t.url, IN_VIEW, 'm3', { text: 'It was due on Monday' });
    await transcript.getByText('It was due on Monday').waitFor(WAIT);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await tones(page)).toEqual([660, 880]);

    // Muted: the next message elsewhere is still notified, silently; and it stays muted after a reload.
    await page.getByText('Sound', { exact: true }).click();
    await expect.poll(() => sound.isChecked(), WAIT).toBe(false);
    const shownBefore = (await notifications(page)).length;
    await say(t.url, ELSEWHERE, 'm4', { text: 'Still here, waiting' });
    await expect.poll(async () => (await notifications(page)).length, WAIT).toBeGreaterThan(shownBefore);
    expect(await tones(page)).toEqual([660, 880]);
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(WAIT);
    expect(await page.getByRole('switch', { name: 'Sound' }).isChecked()).toBe(false);
    await say(t.url, ELSEWHERE, 'm5', { text: 'Anyone?' });
    await expect.poll(async () => (await notifications(page)).length, WAIT).toBeGreaterThan(0);
    expect(await tones(page)).toEqual([]);

    // Sound on again: the chime is back.
    await page.getByText('Sound', { exact: true }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Sound' }).isChecked(), WAIT).toBe(true);
    await say(t.url, ELSEWHERE, 'm6', { text: 'Hello again' });
    await expect.poll(() => tones(page), WAIT).toEqual([660, 880]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
