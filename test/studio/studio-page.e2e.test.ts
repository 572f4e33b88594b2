import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/handoff/agents.ts';
import { RecordedResponses } from '../../src/integrations/recorded-responses.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { repoRoot, say, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium, transcript, type, WAIT } from '../support/webchat-browser.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Parley Studio's page in Debian's Chromium, as an editor uses it: signs in through the console's sign-in, opens a
 * flow, breaks it and sees the error inline (and a publish refused), undoes, changes an answer, previews it, publishes
 * it, and the web chat gives the new answer; restores the first release and the web chat gives the old one again.
 * Two editors saving the same file get a conflict with both texts; an agent who is no editor gets no studio.
 * Screenshots (1366×768) are saved with STUDIO_SCREENSHOTS set (below).
 */
const EVE = { id: 'eve', password: 'eve-studio-password' }; // an editor, with no queue
const EDDY = { id: 'eddy', password: 'eddy-studio-password' }; // a second editor
const BEN = { id: 'ben', password: 'ben-agent-password' }; // an agent, not an editor
/** A preview of a new draft set loads its flows and knowledge base first: seconds, more on a busy machine. */
const PREVIEW_WAIT = { timeout: 45_000 };
/** Where screenshots go, when asked: `STUDIO_SCREENSHOTS=docs/images` makes the README's (so a test run leaves no changes). */
const SHOTS = process.env.STUDIO_SCREENSHOTS;
// The hours come from OPENING_HOURS ({{opening_hours}}); what the flow itself says is the reply-time promise.
const OLD_PROMISE = 'we reply within one business day';
const NEW_PROMISE = 'we reply within two business days';

let t: TestApp;
let prefix: string;
let browser: Browser;

beforeAll(async () => {
  prefix = freshPrefix();
  const agents = [
    { id: EVE.id, name: 'Eve Editor', editor: true, password: hashPassword(EVE.password) },
    { id: EDDY.id, name: 'Eddy Editor', editor: true, password: hashPassword(EDDY.password) },
    { id: BEN.id, name: 'Ben', queues: ['support'], password: hashPassword(BEN.password) },
  ];
  // The page as `npm install` builds it from the sources under test: the global setup built it (test/global-setup.ts).
  [t, browser] = await Promise.all([
    startTestApp({ AGENTS: JSON.stringify(agents), HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn' }),
    launchChromium(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await dropPrefix(prefix);
});

async function signIn(page: Page, who: { id: string; password: string }): Promise<void> {
  await page.locator('#agent-id').fill(who.id);
  await page.locator('#agent-password').fill(who.password);
  await page.locator('#sign-in').click();
}

/** Errors the page logs (a CSP refusal is one) and script errors, on the studio's own pages. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  // What a CSP refused, with the script position that tried it (Chromium's own message names none).
  void page.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP refused ${event.effectiveDirective} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} (${event.sample})`);
  }));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // A refused publish (422) and a conflict (409) are answers the page expects; the browser logs every 4xx.
    if (message.type() === 'error' && page.url().includes('/studio') && !/status of (409|422)/.test(message.text())) problems.push(`${message.text()} ${message.location().url}`);
  });
  return problems;
}

/** A fresh browser (1366×768) signed in to the studio as `who`, with the page's problems watched. */
async function openStudio(who: { id: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${t.url}/studio`);
  await signIn(page, who);
  await page.waitForURL(`${t.url}/studio**`, WAIT);
  return { context, page, problems };
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: path.resolve(repoRoot, SHOTS, `studio-${name}.png`) });
};

describe('Parley Studio in a real browser', () => {
  it('an editor breaks a flow, sees why, fixes it, previews and publishes a new answer that the web chat then gives', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems = watch(page);

    // Not signed in: the console's sign-in, and back to the studio.
    const studio = await page.goto(`${t.url}/studio`);
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/studio');
    expect(studio?.status()).toBe(200);
    await signIn(page, EVE);
    await page.waitForURL(`${t.url}/studio**`, WAIT);
    const csp = (await page.request.get(`${t.url}/studio`)).headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}';/);
    expect(csp).toContain("frame-ancestors 'none'");

    // A flow with branches, as its map draws it.
    const files = page.getByRole('listbox', { name: 'Flows, tests and knowledge' });
    await files.getByRole('option', { name: /^returns\.yaml/ }).click();
    const returnsMap = page.getByRole('region', { name: 'Map of the flow returns' });
    await returnsMap.getByRole('button', { name: /^Ask: ask_condition → item_condition, line 21\./ }).waitFor(WAIT);
    // The map lays its nodes out after the first one shows: wait for the others rather than count at once.
    await expect.poll(() => returnsMap.getByRole('button', { name: /^Flow: → human\./ }).count(), WAIT).toBe(1);
    // A step on the map is a button: Enter on it puts the editor on its line.
    await returnsMap.getByRole('button', { name: /^If: if, line 51\./ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.cm-lineNumbers .cm-activeLineGutter').textContent(), WAIT).toBe('51');
    await shot(page, 'map');

    // The file list, searched; contact.yaml opens with its map.
    await page.getByRole('searchbox', { name: 'Search files' }).fill('contact');
    await expect.poll(() => files.getByRole('option').count(), WAIT).toBe(4); // the flow, its test and two articles
    const contact = files.getByRole('option', { name: /^contact\.yaml, \d+ warnings$/ }); // the flow's keyword warnings
    await contact.click();
    await page.locator('.file-status .path', { hasText: 'flows/contact.yaml' }).waitFor(WAIT);
    const text = page.getByRole('textbox', { name: 'Text of flows/contact.yaml' });
    await expect.poll(() => text.textContent(), WAIT).toContain(OLD_PROMISE);
    const map = page.getByRole('region', { name: 'Map of the flow contact' });
    const sayNode = map.getByRole('button', { name: /^Say: say, line 18\./ });
    await sayNode.waitFor(WAIT);
    await expect.poll(() => map.getByRole('button', { name: /^Start: contact starts on, line 6\./ }).count(), WAIT).toBe(1);

    // Clicking the step on the map puts the cursor on its line; one letter too many breaks it, inline.
    await sayNode.click();
    await page.keyboard.type('s');
    const squiggle = page.locator('.cm-lintRange-error');
    await squiggle.waitFor(WAIT);
    expect(await squiggle.textContent()).toBe('ssay');
    const problemsPanel = page.getByRole('region', { name: 'Problems in this file' });
    await expect.poll(() => problemsPanel.textContent(), WAIT).toContain("line 18:5unknown step type 'ssay' (did you mean 'say'?)");
    expect(await problemsPanel.getByRole('heading').textContent()).toMatch(/^1 error, \d+ warnings?$/);
    await expect.poll(() => files.getByRole('option', { name: /^contact\.yaml, unpublished draft, \d+ problems?$/ }).count(), WAIT).toBe(1);
    await map.getByText('Showing the last version that loaded').waitFor(WAIT);
    await squiggle.hover();
    await page.locator('.cm-tooltip-lint', { hasText: "did you mean 'say'?" }).waitFor(WAIT);
    await shot(page, 'error');

    // A publish is refused while the error is there, and says where.
    await page.getByRole('button', { name: /^Publish/ }).click();
    const publishDialog = page.getByRole('dialog', { name: 'Publish every draft' });
    await publishDialog.getByRole('textbox', { name: 'What changed' }).fill('Contact: a typo');
    await publishDialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await publishDialog.getByRole('alert').getByText("flows/contact.yaml:18:5").waitFor(WAIT);
    await shot(page, 'publish-refused');
    await publishDialog.getByRole('button', { name: 'Cancel' }).click();

    // Undo takes the letter back, redo brings it again, undo once more; then a new reply-time promise.
    await page.getByRole('button', { name: 'Undo (Ctrl+Z)' }).click();
    await expect.poll(() => problemsPanel.getByRole('heading').textContent(), WAIT).toMatch(/^0 errors, \d+ warnings$/);
    await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z)' }).click();
    await expect.poll(() => squiggle.textContent(), WAIT).toBe('ssay');
    await page.getByRole('button', { name: 'Undo (Ctrl+Z)' }).click();
    await expect.poll(() => problemsPanel.getByRole('heading').textContent(), WAIT).toMatch(/^0 errors, \d+ warnings$/);
    await text.click();
    await page.keyboard.press('Control+f');
    await page.locator('.cm-search input[name="search"]').fill('one business day');
    await page.locator('.cm-search input[name="replace"]').fill('two business days');
    await page.locator('.cm-search button[name="replaceAll"]').click();
    await page.locator('.save-state.saved').waitFor(WAIT);
    expect(await problemsPanel.getByRole('heading').textContent()).toMatch(/^0 errors/);

    // The preview runs the draft; it opened with the greeting when the page loaded.
    await page.getByRole('tab', { name: 'Preview' }).click();
    const log = page.getByRole('log', { name: 'Preview conversation' });
    await expect.poll(() => log.textContent(), PREVIEW_WAIT).toContain('welcome to Brightwave');
    await page.getByRole('textbox', { name: 'Message to the preview bot' }).fill('when are you open?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => log.textContent(), PREVIEW_WAIT).toContain(NEW_PROMISE);
    await log.locator('summary', { hasText: 'Why this answer' }).last().click();
    await expect.poll(() => log.locator('.why').last().textContent(), WAIT).toMatch(/Understood as the flow contact \(\d+% sure\)/);
    await shot(page, 'preview');

    // Published: a release with a message, and the web chat gives the new promise.
    await page.getByRole('button', { name: /^Publish/ }).click();
    await publishDialog.getByRole('textbox', { name: 'What changed' }).fill('Contact: we reply within two business days');
    await publishDialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('status').getByText(/^Release #\d+ is live\.$/).waitFor(WAIT);
    await expect.poll(() => files.getByRole('option', { name: /^contact\.yaml, \d+ warnings$/ }).count(), WAIT).toBe(1); // no draft left
    await page.locator('.save-state.saved').getByText('Live: no unpublished changes').waitFor(WAIT);
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'Releases' });
    await history.getByRole('cell', { name: 'Contact: we reply within two business days' }).waitFor(WAIT);
    expect(await history.getByRole('button', { name: /^Restore release/ }).count()).toBeGreaterThan(0);
    // A release's changes against the one before: each file it changed, before and after, the differing lines marked.
    await history.getByRole('button', { name: /^Changes in release \d+$/ }).first().click();
    const changes = history.getByRole('region', { name: /^Changes in release \d+$/ });
    await changes.getByRole('region', { name: /^flows\/contact\.yaml in release \d+$/ }).first().locator('mark', { hasText: 'one business day' }).first().waitFor(WAIT);
    await changes.getByRole('region', { name: /^flows\/contact\.yaml in release \d+$/ }).last().locator('mark', { hasText: 'two business days' }).first().waitFor(WAIT);
    await shot(page, 'history');
    await history.getByRole('button', { name: 'Close' }).click();
    expect(problems).toEqual([]);

    const shop = await context.newPage();
    await shop.goto(t.url);
    await shop.locator('#parley-launcher').click();
    await shop.locator('#parley-panel').waitFor({ state: 'visible', ...WAIT });
    await type(shop, 'when are you open?');
    await expect.poll(async () => (await transcript(shop)).at(-1)?.text ?? '', WAIT).toContain(NEW_PROMISE);

    // Restoring the first release brings the old promise back, in the web chat too.
    await page.bringToFront();
    await page.getByRole('button', { name: 'History' }).click();
    await history.getByRole('button', { name: 'Restore release 1' }).click();
    await page.getByRole('status').getByText(/^Restored as release #\d+\.$/).waitFor(WAIT);
    await expect.poll(() => text.textContent(), WAIT).toContain(OLD_PROMISE);
    await type(shop, 'when are you open?');
    await expect.poll(async () => (await transcript(shop)).at(-1)?.text ?? '', WAIT).toContain(OLD_PROMISE);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('two editors save the same file: the second sees both texts and keeps theirs or their own, nothing is lost silently; completion; an article', { timeout: 120_000 }, async () => {
    const editors = await Promise.all([EVE, EDDY].map(async (who) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(`${t.url}/studio`);
      await signIn(page, who);
      await page.waitForURL(`${t.url}/studio**`, WAIT);
      await page.getByRole('listbox', { name: 'Flows, tests and knowledge' }).getByRole('option', { name: /^human\.yaml/ }).click();
      const text = page.getByRole('textbox', { name: 'Text of flows/human.yaml' });
      await text.waitFor(WAIT);
      return { context, page, text, problems };
    }));
    const [eve, eddy] = editors as [typeof editors[0], typeof editors[0]];
    const note = async (editor: typeof eve, line: string) => {
      await editor.text.click();
      await editor.page.keyboard.press('Control+End');
      await editor.page.keyboard.insertText(`\n${line}`);
    };
    await note(eddy, '# a note from Eddy');
    await eddy.page.locator('.save-state.saved').waitFor(WAIT);
    await note(eve, '# a note from Eve');
    const conflict = eve.page.getByRole('dialog', { name: 'Someone else saved this file' });
    await conflict.getByRole('region', { name: 'Their text' }).getByText('# a note from Eddy').waitFor(WAIT);
    expect(await conflict.getByRole('region', { name: 'Your text' }).textContent()).toContain('# a note from Eve');
    // Long lines wrap in both texts rather than hiding past the edge.
    expect(await conflict.locator('pre').first().evaluate((pre) => getComputedStyle(pre).whiteSpace)).toBe('pre-wrap');
    await shot(eve.page, 'conflict');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await eve.page.locator('.save-state.saved').waitFor(WAIT);
    const saved = await eve.page.evaluate(async () => (await (await fetch('/studio/api/files/flows/human.yaml')).json()).content as string);
    expect(saved).toContain('# a note from Eve');
    expect(saved).not.toContain('# a note from Eddy');
    // Completion offers the step kinds, with what each does.
    await eve.text.click();
    await eve.page.keyboard.press('Control+End');
    await eve.page.keyboard.type('\n  - ha');
    const completion = eve.page.locator('.cm-tooltip-autocomplete');
    await completion.getByRole('option', { name: /handoff/ }).waitFor(WAIT);
    await eve.page.locator('.cm-completionInfo', { hasText: 'Hands the conversation to a person' }).waitFor(WAIT);
    await eve.page.keyboard.press('Enter');
    await expect.poll(() => eve.text.textContent(), WAIT).toContain('- handoff: ');

    // An article opens as Markdown, rendered beside it.
    await eve.page.getByRole('listbox', { name: 'Flows, tests and knowledge' }).getByRole('option', { name: /^support\/visiting-the-store\.md/ }).click();
    await expect.poll(() => eve.page.getByRole('textbox', { name: 'Text of knowledge/support/visiting-the-store.md' }).textContent(), WAIT).toContain('title: Visiting our store in Rotterdam');
    // Rendering waits for the article's text to arrive and be parsed: on a machine running the whole suite, give it the preview's time.
    await eve.page.getByRole('article', { name: 'The article, rendered' }).getByRole('heading', { name: 'Visiting our store in Rotterdam' }).waitFor(PREVIEW_WAIT);
    expect([...eve.problems, ...eddy.problems]).toEqual([]);
    await Promise.all(editors.map((editor) => editor.context.close()));
  });

  it('the map counts conversations per step; hover docs; try a question; run the tests with their diff; an article rendered and sanitized; a removal drafted', { timeout: 120_000 }, async () => {
    // Two customers reach the returns question; one asks for a person there.
    await say(t.url, 'e2e-returns-1', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'e2e-returns-2', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'e2e-returns-2', 'm2', { text: 'I want to talk to a person' });
    // A question the knowledge base cannot answer: a gap, to write the article for.
    await say(t.url, 'e2e-gap', 'm1', { text: 'do you sell lawn mowers?' });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${t.url}/studio#flows/returns.yaml`);
    await signIn(page, EVE);
    await page.waitForURL(`${t.url}/studio**`, WAIT);
    // The unfinished step the previous test left in human.yaml would stop the flows from loading: back to the release.
    await page.evaluate(async () => {
      const [latest] = await (await fetch('/studio/api/releases')).json();
      const { content } = await (await fetch(`/studio/api/releases/${latest.release}`)).json();
      const draft = await (await fetch('/studio/api/files/flows/human.yaml')).json();
      await fetch('/studio/api/files/flows/human.yaml', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: content['flows/human.yaml'], baseVersion: draft.version }) });
    });
    await page.reload();
    const files = page.getByRole('listbox', { name: 'Flows, tests and knowledge' });
    await files.getByRole('option', { name: /^returns\.yaml/ }).click();
    const map = page.getByRole('region', { name: 'Map of the flow returns' });
    await map.getByRole('button', { name: /^Ask: ask_condition → item_condition, line 21\..*2 reached it, 0 dropped off here, 1 handed to a person$/ }).waitFor(WAIT);
    await map.getByRole('button', { name: /^Start: returns starts on, line \d+\..*2 conversations ran it, 1 handed to a person$/ }).waitFor(WAIT);
    // A file's problems show as it opens; a file with only warnings has a warning-coloured count, not an error's red.
    expect(await page.getByRole('region', { name: 'Problems in this file' }).getByRole('heading').textContent()).toMatch(/^0 errors, \d+ warnings?$|^No problems$/);
    const contactCount = files.getByRole('option', { name: /^contact\.yaml, \d+ warnings$/ }).locator('.problem-count');
    expect(await contactCount.evaluate((el) => el.classList.contains('warnings-only'))).toBe(true);
    // Hovering a step kind says what it does, from the flow JSON schema (the map puts the editor on its line).
    await map.getByRole('button', { name: /^Ask: ask_condition/ }).click();
    await page.locator('.cm-content').getByText('ask', { exact: true }).first().hover();
    await page.locator('.key-help', { hasText: 'Asks a question and waits' }).waitFor(WAIT);
    await shot(page, 'map-counts');

    // A call step in the preview gets the editor's sample answer, and says so; nothing is called.
    await page.getByRole('tab', { name: 'Preview' }).click();
    const chat = page.getByRole('log', { name: 'Preview conversation' });
    await expect.poll(() => chat.textContent(), PREVIEW_WAIT).toContain('welcome to Brightwave');
    await page.locator('.samples > summary').click();
    const samples = page.getByRole('textbox', { name: 'Sample answers, JSON by endpoint' });
    await samples.fill('{ "order_lookup": ');
    await page.getByText(/^Not JSON yet/).waitFor(WAIT);
    await samples.fill('{ "order_lookup": { "status": "delivered", "delivered_on": "2026-12-01" } }');
    // Live calls allowed: order_lookup (the demo's, not marked safe) is still not called; its sample answers.
    await page.locator('.live-calls').click();
    expect(await page.getByRole('checkbox', { name: /Allow live calls to safe endpoints/ }).isChecked()).toBe(true);
    const message = page.getByRole('textbox', { name: 'Message to the preview bot' });
    await message.fill('where is my order');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.textContent(), PREVIEW_WAIT).toContain("What's your order number?");
    await message.fill('BW-77777');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.textContent(), PREVIEW_WAIT).toContain('Order BW-77777 was delivered on');
    await chat.locator('summary', { hasText: 'Why this answer' }).last().click();
    await expect.poll(() => chat.locator('.why').last().textContent(), WAIT).toContain('Called order_lookup (answered by your sample)');

    // The preview in German from its greeting: picking a language starts a new conversation in it.
    await page.locator('.preview .language button').click();
    await page.getByRole('option', { name: 'German' }).click();
    const log = page.getByRole('log', { name: 'Preview conversation' });
    await expect.poll(() => log.textContent(), PREVIEW_WAIT).toContain('Hallo und willkommen bei Brightwave');
    expect(await log.textContent()).not.toContain('Hi, and welcome');

    // The questions customers got no answer to, each with "Write the article": a draft article opens, rendered.
    await page.getByRole('tab', { name: 'Ask' }).click();
    const gaps = page.getByRole('list', { name: 'Unanswered questions' });
    await gaps.getByText('do you sell lawn mowers?').waitFor(WAIT);
    await shot(page, 'gaps');
    await gaps.getByRole('button', { name: 'Write the article for “do you sell lawn mowers?”' }).click();
    await page.locator('.file-status .path', { hasText: 'knowledge/do-you-sell-lawn-mowers.md' }).waitFor(WAIT);
    await page.getByRole('article', { name: 'The article, rendered' }).getByRole('heading', { name: 'do you sell lawn mowers' }).waitFor(WAIT);
    await files.getByRole('option', { name: /^do-you-sell-lawn-mowers\.md, unpublished draft/ }).waitFor(WAIT);

    // Try a question: the drafts' knowledge base, its answer and the articles it ranked.
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.getByRole('textbox', { name: "A customer's question" }).fill('Is there parking near the store?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const ranked = page.getByRole('list', { name: 'Ranked articles' });
    await ranked.getByRole('listitem').first().waitFor(PREVIEW_WAIT);
    expect(await ranked.getByRole('listitem').first().textContent()).toContain('Visiting our store in Rotterdam');
    expect(await page.locator('.ask-result .answer').textContent()).toContain('Markthal garage');
    await shot(page, 'ask');
    // A ranked article opens in the editor.
    await ranked.getByRole('button', { name: 'Visiting our store in Rotterdam' }).click();
    await page.locator('.file-status .path', { hasText: 'knowledge/support/visiting-the-store.md' }).waitFor(WAIT);

    // The conversation tests on the drafts: all pass; a draft that changes the hours fails one, with what differs.
    await page.getByRole('tab', { name: 'Tests' }).click();
    await page.getByRole('button', { name: 'Run all tests' }).click();
    await page.getByRole('status').filter({ hasText: /^\d+ passed, 0 failed$/ }).waitFor(PREVIEW_WAIT);
    await page.evaluate(async ([from, to]) => {
      const file = await (await fetch('/studio/api/files/flows/contact.yaml')).json();
      await fetch('/studio/api/files/flows/contact.yaml', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: file.content.replace(from, to), baseVersion: file.version }) });
    }, ['one business day', 'two business days']);
    await page.getByRole('button', { name: 'Run all tests' }).click();
    await page.getByRole('status').filter({ hasText: /^\d+ passed, [1-9]\d* failed$/ }).waitFor(PREVIEW_WAIT);
    const failed = page.locator('.test.failed', { hasText: 'gives the hours, phone, email and address' });
    expect(await failed.locator('.diff').textContent()).toContain('one business day');
    await shot(page, 'tests');

    // The article rendered, sanitized: no script, no image loaded from elsewhere, no CSP refusal.
    await page.getByRole('tab', { name: 'Article' }).click();
    const rendered = page.getByRole('article', { name: 'The article, rendered' });
    await rendered.getByRole('heading', { name: 'Visiting our store in Rotterdam' }).waitFor(WAIT);
    // {{opening_hours}} reads as customers get it (OPENING_HOURS; unset here: the demo's week), marked as the setting's.
    await rendered.locator('mark.placeholder', { hasText: 'Monday to Friday 09:00–18:00, Saturday 10:00–17:00' }).waitFor(WAIT);
    expect(await rendered.textContent()).not.toContain('{{');
    const text = page.getByRole('textbox', { name: 'Text of knowledge/support/visiting-the-store.md' });
    await text.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n\n## Parking\n\n**Free** parking <script>window.pwned = 1</script><img src="https://evil.example/x.png" onerror="window.pwned = 2"> on *Harbour Street*.\n');
    await rendered.getByRole('heading', { name: 'Parking' }).waitFor(WAIT);
    expect(await rendered.locator('strong', { hasText: 'Free' }).count()).toBe(1);
    expect(await rendered.locator('script, img, [onerror]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await shot(page, 'article');

    // Removing a file is a draft too, asked first.
    await page.locator('.save-state.saved').waitFor(WAIT);
    await page.getByRole('button', { name: 'Remove knowledge/support/visiting-the-store.md' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove this file?' });
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await files.getByRole('option', { name: /^support\/visiting-the-store\.md, removal drafted/ }).waitFor(WAIT);
    await page.getByText("This file's removal is drafted").waitFor(WAIT);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an article\'s knowledge-base problem shows inline as the editor types, with the problems list, and goes when fixed', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openStudio(EVE);
    const files = page.getByRole('listbox', { name: 'Flows, tests and knowledge' });
    await files.getByRole('option', { name: /^support\/recycling-and-trade-in\.md/ }).click();
    const text = page.getByRole('textbox', { name: 'Text of knowledge/support/recycling-and-trade-in.md' });
    await expect.poll(() => text.textContent(), WAIT).toContain('title: Recycling old devices');
    const problemsPanel = page.getByRole('region', { name: 'Problems in this file' });

    // A misspelt front matter field: `kb check`'s finding, underlined at its line, in the list and on the file.
    await text.click();
    await page.keyboard.press('Control+f');
    await page.locator('.cm-search input[name="search"]').fill('questions:');
    await page.locator('.cm-search input[name="replace"]').fill('questons:');
    await page.locator('.cm-search button[name="replaceAll"]').click();
    const squiggle = page.locator('.cm-lintRange-error');
    await squiggle.waitFor(PREVIEW_WAIT);
    expect(await squiggle.textContent()).toContain('questons');
    await expect.poll(() => problemsPanel.textContent(), WAIT).toMatch(/line 3:\d+unknown field 'questons' \(did you mean 'questions'\? front matter fields: title, questions, tags, locale\)/);
    expect(await problemsPanel.getByRole('heading').textContent()).toBe('1 error, 0 warnings');
    await expect.poll(() => files.getByRole('option', { name: /^support\/recycling-and-trade-in\.md, unpublished draft, 1 problem$/ }).count(), WAIT).toBe(1);
    await squiggle.hover();
    await page.locator('.cm-tooltip-lint', { hasText: "did you mean 'questions'?" }).waitFor(WAIT);
    await shot(page, 'article-error');

    // Fixed with the did-you-mean: the mark, the list's entry and the file's count go; the published text again is no draft.
    await page.locator('.cm-tooltip-lint button', { hasText: "Use 'questions'" }).click();
    await expect.poll(() => text.textContent(), WAIT).toContain('questions:');
    await expect.poll(() => problemsPanel.getByRole('heading').textContent(), WAIT).toBe('No problems');
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    await expect.poll(() => files.getByRole('option', { name: /^support\/recycling-and-trade-in\.md$/ }).count(), WAIT).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an editor sees the call steps\' recorded answers, when and how large, and clears one, then all', { timeout: 120_000 }, async () => {
    const recorded = new RecordedResponses(sqlOf(t.app.store));
    await recorded.record('order_lookup', { number: 'BW-12345', status: 'shipped', carrier: 'DHL', customer: { email: 'jane.doe@example.com' } });
    await recorded.record('stock_level', { sku: 'WAVE-700', in_stock: 4 });
    const { context, page, problems } = await openStudio(EVE);

    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.locator('.samples > summary').click();
    await page.locator('.recorded > summary').click();
    const list = page.getByRole('list', { name: 'Recorded answers by endpoint' });
    const order = list.getByRole('listitem', { name: 'order_lookup' });
    await order.waitFor(PREVIEW_WAIT);
    expect(await order.textContent()).toMatch(/recorded just now · \d+ bytes/);
    expect(await order.textContent()).toContain('Call step: order_status › lookup');
    expect(await list.getByRole('listitem', { name: 'stock_level' }).textContent()).toContain('No call step in your drafts uses it.');
    await order.locator('.recorded-data > summary').click();
    expect(await order.locator('pre').textContent()).toContain('"email": "[email]"');
    await shot(page, 'recorded');

    // One: its call step now has nothing recorded; the other stays.
    await page.getByRole('button', { name: 'Clear the recorded answer of order_lookup' }).click();
    await expect.poll(() => order.textContent(), WAIT).toContain('nothing recorded');
    expect(await page.getByRole('status').filter({ hasText: 'Cleared the recorded answer of order_lookup.' }).count()).toBe(1);
    expect(await recorded.get('order_lookup')).toBeUndefined();
    expect(await recorded.get('stock_level')).toBeDefined();

    // All, asked first.
    // (Another process's record: this one's writes are spaced by RECORD_EVERY_MS.)
    expect(await new RecordedResponses(sqlOf(t.app.store)).record('order_lookup', { number: 'BW-12345', status: 'delivered' })).toBe(true);
    await page.locator('.recorded > summary').click();
    await page.locator('.recorded > summary').click();
    await expect.poll(() => order.textContent(), WAIT).toMatch(/recorded just now/);
    await page.getByRole('button', { name: 'Clear all…' }).click();
    const confirm = page.getByRole('group', { name: 'Clear every recorded answer' });
    expect(await confirm.textContent()).toContain('Clear all 2 recorded answers?');
    await confirm.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(() => order.textContent(), WAIT).toContain('nothing recorded');
    expect(await list.getByRole('listitem', { name: 'stock_level' }).count()).toBe(0);
    expect(await recorded.list()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an agent who is no editor gets no studio, and its API refuses them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/studio`);
    await signIn(page, BEN);
    await page.waitForURL(`${t.url}/studio`, WAIT);
    await page.getByRole('heading', { name: 'Not an editor' }).waitFor(WAIT);
    expect(await page.evaluate(async () => [(await fetch('/studio')).status, (await fetch('/studio/assets/studio.js')).status, (await fetch('/studio/api/files')).status])).toEqual([403, 403, 403]);
    await context.close();
  });
});
