import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANA, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { seriousFindings } from '../support/axe.ts';

/**
 * The agent sign-in page in Debian's Chromium. Issue 14, item 16: it was unstyled, because its inline style broke its
 * own CSP (style-src 'self'). Item 6: `?next=%2F.%2F%2Fevil.example` sent the agent to http://evil.example/ after
 * signing in. The page is React with React Aria's fields, like the workspace's: keyboard-only and for screen readers
 * (labels, the first field focused, a refusal announced). (A screenshot is saved to SIGN_IN_SCREENSHOT when that is set.)
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 15_000 };

describe('agent sign-in page in a real browser', () => {
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

  /** A page that records what the browser refused (CSP) and any script error. */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    // Console errors name no URL: a failed load is recorded from its response instead (a browser asks for a favicon).
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && problems.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && problems.push(`${response.status()} ${response.url()}`));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${t.url}${path}`);
    return { page, problems };
  }

  it('is styled by its own stylesheet, with nothing refused by its CSP', async () => {
    const { page, problems } = await open('/agent/login');
    const style = await page.locator('main').evaluate((main) => {
      const css = getComputedStyle(main);
      return { width: css.width, background: css.backgroundColor, font: getComputedStyle(document.body).fontFamily.split(',')[0] };
    });
    // The workspace's look: a white card on grey, its system font and accent colour.
    expect(style).toEqual({ width: '380px', background: 'rgb(255, 255, 255)', font: 'system-ui' });
    expect(await page.locator('#sign-in').evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(79, 70, 229)');
    if (process.env.SIGN_IN_SCREENSHOT) await page.screenshot({ path: process.env.SIGN_IN_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    // A wrong password is said in the page's error colour.
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill('not the password');
    await page.locator('#sign-in').click();
    const error = page.locator('#login-error', { hasText: 'Unknown agent or wrong password.' });
    await error.waitFor(WAIT);
    expect(await error.evaluate((p) => getComputedStyle(p).color)).toBe('rgb(180, 35, 24)');
    if (process.env.SIGN_IN_SCREENSHOT) await page.screenshot({ path: process.env.SIGN_IN_SCREENSHOT.replace(/\.png$/, '-refused.png'), fullPage: true });
    await page.close();
  });

  it.each([
    ['%2F.%2F%2Fevil.example'],
    ['/%09/evil.example'],
    ['/%5Cevil.example'],
    ['https://evil.example/'],
  ])('after signing in with ?next=%s, the agent stays on Parley (the console)', async (next) => {
    const { page, problems } = await open(`/agent/login?next=${next}`);
    const leaving: string[] = [];
    page.on('request', (request) => !request.url().startsWith(t.url) && leaving.push(request.url()));
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill(ANA.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/agent`, WAIT);
    expect(leaving).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a path on Parley is where the agent lands', async () => {
    const { page } = await open(`/agent/login?next=${encodeURIComponent('/agent?from=report')}`);
    await page.locator('#agent-id').fill('ana');
    await page.locator('#agent-password').fill(ANA.password);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${t.url}/agent?from=report`, WAIT);
    await page.close();
  });

  it('signs in by keyboard alone: the id field has the focus, a refusal is announced, the right password opens the workspace', async () => {
    const response = await fetch(`${t.url}/agent/login`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    const { page, problems } = await open('/agent/login');
    const id = page.getByRole('textbox', { name: 'Agent id' });
    await id.waitFor(WAIT);
    // No inline script: every script is a file on Parley.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await id.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await seriousFindings(page)).toEqual([]);

    await page.keyboard.type('ana');
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Password').evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    // The refusal is in an alert, which screen readers announce, and the person can try again at once.
    await page.getByRole('alert').filter({ hasText: 'Unknown agent or wrong password.' }).waitFor(WAIT);
    expect(await seriousFindings(page)).toEqual([]);
    if (process.env.SIGN_IN_SCREENSHOT) await page.screenshot({ path: process.env.SIGN_IN_SCREENSHOT.replace(/\.png$/, '-keyboard.png'), fullPage: true });

    await page.getByLabel('Password').fill('');
    await page.getByLabel('Password').focus();
    await page.keyboard.type(ANA.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${t.url}/agent`, WAIT);
    await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT);
    // Nothing refused by the CSP, no script error: only the wrong password's answer.
    expect(problems).toEqual([`401 ${t.url}/agent/login`]);
    await page.close();
  });
});
