import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/app.ts';
import { seriousFindings } from '../support/axe.ts';
import { until } from '../support/poll.ts';
import { ADMIN_TOKEN, ANA, MIA, call, driveConversations, startReportApp, type ReportApp } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * The report page in Debian's Chromium: who may see it, that its charts draw the data, that the period is chosen by
 * keyboard, and that axe-core finds nothing serious. Screenshots are saved with WORKSPACE_SCREENSHOTS set (e.g. docs/images).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WAIT = { timeout: 20_000 };
const CHARTS = ['containment-chart', 'reasons-chart', 'dropoff-chart'];

let t: ReportApp;
let browser: Browser;

beforeAll(async () => {
  t = await startReportApp();
  await driveConversations(t.url);
  // c2 left the order number question unanswered; an hour passes, so it counts as dropped off (quiet for 30 min).
  const c2 = (await t.app.store.findConversation('web', 'c2'))!;
  await sqlOf(t.app.store).query(`UPDATE analytics_turns SET at = at - interval '1 hour' WHERE conversation_id = $1`, [c2.id]);
  await until(() => call(t.url, '/admin/api/report?since=1d', ADMIN_TOKEN), (r) => r.json?.totals.dropOffs === 1, 'the drop-off');
  // The page as these sources build it: the global setup built it with the workspace (test/global-setup.ts).
  browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, who: { id: string; password: string }): Promise<void> {
  await page.locator('#agent-id').fill(who.id);
  await page.locator('#agent-password').fill(who.password);
  await page.locator('#sign-in').click();
}

/** Pixels of a PNG (a screenshot) that differ from white, counted in the browser itself. */
function inkIn(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (dataUrl) => {
    const image = new Image();
    image.src = dataUrl;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) ink++;
    return ink;
  }, `data:image/png;base64,${png.toString('base64')}`);
}

describe('the report page in a real browser', () => {
  it('sends an anonymous browser to the sign-in page, and refuses an agent who is not an admin', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/report`);
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/report');
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const signedIn = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/agent/login', WAIT);
    const reloaded = page.waitForEvent('load', WAIT);
    await signIn(page, ANA);
    expect((await signedIn).status()).toBe(200);
    // Ana is signed in, is sent on to the report, and the report sends her back to the sign-in page.
    await reloaded;
    expect(requested).toContain('/admin/report');
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/report');
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/admin/api/report')).status)).toBe(401);
    expect(await page.evaluate(async () => (await fetch('/agent/api/me')).status)).toBe(200);
    await context.close();
  });

  // It signs in, checks three charts pixel by pixel, runs axe-core twice and opens the studio: a minute on a busy machine.
  it('signs an admin in and back to the report, whose charts draw the data; a gap links to its new article', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    const page = await context.newPage();
    // Screenshots are decoded on a blank page: the report's Content-Security-Policy allows no data: images.
    const scratch = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The report's own pages (the sign-in page is the console's, with its own history) must log no error: no CSP violation.
    page.on('console', (message) => {
      const where = message.location().url;
      if (message.type() === 'error' && where.startsWith(`${t.url}/admin/`)) errors.push(`${where}:${message.location().lineNumber} ${message.text()}`);
    });
    await page.goto(`${t.url}/admin/report`);
    await signIn(page, MIA);
    await page.waitForURL(`${t.url}/admin/report`, WAIT);
    await page.locator('body[data-ready="true"]').waitFor(WAIT);

    expect(await page.locator('#tiles .tile').first().textContent()).toContain('5');
    expect(await page.getByRole('link', { name: 'Report' }).getAttribute('aria-current')).toBe('page');
    expect(await seriousFindings(page)).toEqual([]);
    if (process.env.WORKSPACE_SCREENSHOTS) await page.screenshot({ path: path.resolve(repoRoot, process.env.WORKSPACE_SCREENSHOTS, 'admin-report.png'), fullPage: true });
    for (const id of CHARTS) {
      const canvas = page.locator(`#${id}`);
      expect(Number(await canvas.getAttribute('data-drawn')), id).toBeGreaterThan(0);
      // The chart's own pixels: a drawn chart has thousands of painted pixels.
      const painted = await canvas.evaluate((element: HTMLCanvasElement) => {
        const { data } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(painted, id).toBeGreaterThan(2000);
      // And what the screen shows: the canvas's screenshot against a screenshot of a blank canvas of the same size.
      const box = (await canvas.boundingBox())!;
      const shot = await canvas.screenshot();
      await page.evaluate(({ width, height }) => {
        const blank = document.createElement('canvas');
        blank.id = 'blank';
        blank.width = Math.round(width);
        blank.height = Math.round(height);
        document.body.prepend(blank);
      }, box);
      const blankShot = await page.locator('#blank').screenshot();
      await page.evaluate(() => document.getElementById('blank')!.remove());
      expect(await inkIn(scratch, blankShot), `${id} blank`).toBe(0);
      expect(await inkIn(scratch, shot), id).toBeGreaterThan(1000);
    }

    const rows = page.locator('#gaps tbody tr', { hasText: 'do you sell lawn mowers?' });
    expect(await rows.count()).toBe(1);
    const dropOff = page.locator('#flows tbody tr', { hasText: 'order_status' });
    expect(await dropOff.locator('td').allTextContents()).toEqual(['order_status', '3', '67%', '1', '–', '1']);
    // "Write the article" opens Parley Studio on a new draft article with the customers' wordings as its questions.
    await rows.locator('a', { hasText: 'write the article' }).click();
    await page.waitForURL(`${t.url}/studio#knowledge/do-you-sell-lawn-mowers.md`, WAIT);
    const article = page.getByRole('textbox', { name: 'Text of knowledge/do-you-sell-lawn-mowers.md' });
    await expect.poll(() => article.textContent(), WAIT).toContain('- "do you sell lawn mowers?"');
    await page.getByRole('option', { name: /^do-you-sell-lawn-mowers\.md, unpublished draft/ }).waitFor(WAIT);
    await page.getByRole('article', { name: 'The article, rendered' }).getByRole('heading', { name: 'do you sell lawn mowers' }).waitFor(WAIT);
    // Or as a file to save, for teams that keep their knowledge in git.
    await page.goBack();
    await rows.locator('a', { hasText: 'as a file' }).click();
    await page.locator('#article-content').waitFor(WAIT);
    expect(await page.locator('#article-path').textContent()).toMatch(/knowledge\/do-you-sell-lawn-mowers\.md$/);
    expect(await page.locator('#article-content').textContent()).toContain('questions:\n  - "do you sell lawn mowers?"');
    expect(await seriousFindings(page)).toEqual([]);
    // Back on the report, the period is another choice, made with the keyboard: the figures are asked for again.
    await page.goBack();
    await page.locator('body[data-ready="true"]').waitFor(WAIT);
    await page.getByRole('button', { name: /Period/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Last 24 hours' }).waitFor(WAIT);
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/admin/api/report' && new URL(r.url()).searchParams.get('since') === '24h', WAIT);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await asked;
    await expect.poll(() => page.locator('#status').textContent(), WAIT).toMatch(/^From .* UTC\.$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says in words, in each chart's place, that a period has nothing to show", { timeout: 90_000 }, async () => {
    const quiet = await startReportApp();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
    try {
      const page = await context.newPage();
      await page.goto(`${quiet.url}/admin/report`);
      await signIn(page, MIA);
      await page.locator('body[data-ready="true"]').waitFor(WAIT);
      const said = Object.fromEntries(await Promise.all(CHARTS.map(async (id) => [id, (await page.locator(`#${id}`).textContent())?.trim()] as const)));
      expect(said).toEqual({
        'containment-chart': 'No conversations in this period.',
        'reasons-chart': 'No conversation went to a person in this period.',
        'dropoff-chart': "No customer was left waiting on a flow's question in this period.",
      });
      expect(await page.locator('canvas').count()).toBe(0);
      if (process.env.WORKSPACE_SCREENSHOTS) await page.screenshot({ path: path.resolve(repoRoot, process.env.WORKSPACE_SCREENSHOTS, 'admin-report-empty.png'), fullPage: true });
      expect(await seriousFindings(page)).toEqual([]);
    } finally {
      await context.close();
      await quiet.close();
    }
  });

  it('after signing in, goes only to a page of this server', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/agent/login?next=${encodeURIComponent('//evil.example/steal')}`);
    await signIn(page, MIA);
    await page.waitForURL(`${t.url}/agent`, WAIT);
    await context.close();
  });
});
