import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/handoff/agents.ts';
import { repoRoot, say, type TestApp } from '../support/app.ts';
import { seriousFindings } from '../support/axe.ts';
import { transcript, type, WAIT } from '../support/webchat-browser.ts';
import { webTranscript } from './support.ts';
import { startWorkspaceRig, type WorkspaceRig } from './workspace-browser.ts';

/**
 * The agent workspace at /agent in Debian's Chromium, against the demo shop: a customer asks for a person in the web
 * chat; Ana (support, an admin) is alerted, claims, reads the suggestions for the latest question (and sees them
 * change when the customer asks another), writes a private note the customer never sees, manages and inserts a canned
 * response with a variable, is warned about a reply in another language, and transfers the conversation to billing
 * with a note; Ben (billing) finds it there with the note and resolves it. Also: no request on load fails, nothing is
 * refused by the CSP, the keyboard works, and axe-core finds nothing serious on the main screens.
 * Screenshots (1366×768 and a tablet) are saved with WORKSPACE_SCREENSHOTS set, e.g. `WORKSPACE_SCREENSHOTS=docs/images`.
 */
const ANA = { id: 'ana', password: 'ana-workspace-password' };
const BEN = { id: 'ben', password: 'ben-workspace-password' };
const CLEO = { id: 'cleo', password: 'cleo-workspace-password' };
const SHOTS = process.env.WORKSPACE_SCREENSHOTS;
const TABLET_CUSTOMER = '4b1f3f5e-7d0c-4e8e-9a51-2f7f6c1d9e20';
/** A conversation in the list (the list's empty state is an option too). */
const VISITOR = /^Web chat visitor [0-9A-F]{4}, waiting/;
const NOTE = 'Second time they ask about this order: offer the free return label.';
const TRANSFER_NOTE = 'They also ask about a refund on the invoice: over to billing.';
const GREETING = 'Hi, I am Ana Lima from Brightwave. Let me look into order 1001 for you.';

let t: TestApp;
let browser: Browser;
let rig: WorkspaceRig | undefined;

beforeAll(async () => {
  const agents = [
    { id: ANA.id, name: 'Ana Lima', queues: ['support'], admin: true, password: hashPassword(ANA.password) },
    { id: BEN.id, name: 'Ben Okafor', queues: ['billing'], password: hashPassword(BEN.password) },
    { id: CLEO.id, name: 'Cleo Park', queues: ['support'], password: hashPassword(CLEO.password) },
  ];
  rig = await startWorkspaceRig(agents);
  ({ t, browser } = rig);
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

interface Watched {
  page: Page;
  context: BrowserContext;
  /** Script errors, CSP refusals and answers of 400 and more on the way. */
  problems: string[];
}

/** A browser of its own for an agent, watched for script errors, CSP refusals and failed requests. */
async function agentBrowser(viewport = { width: 1366, height: 768 }): Promise<Watched> {
  const context = await browser.newContext({ viewport, locale: 'en-US', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP refused ${event.effectiveDirective} at ${event.sourceFile}:${event.lineNumber}`));
    // Every notification the page shows, as the agent would see it.
    const Real = window.Notification;
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    window.Notification = Recorded as typeof Notification;
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`); });
  return { page, context, problems };
}

async function signIn(page: Page, who: { id: string; password: string }): Promise<void> {
  await page.goto(`${t.url}/agent`);
  await page.locator('#agent-id').fill(who.id);
  await page.locator('#agent-password').fill(who.password);
  await page.locator('#sign-in').click();
  await page.waitForURL(`${t.url}/agent`, WAIT);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(WAIT);
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: path.resolve(repoRoot, SHOTS, `workspace-${name}.png`) });
};

/** The titles of the notifications the page showed. */
const notifications = (page: Page) => page.evaluate(() => (window as unknown as { shownNotifications: { title: string }[] }).shownNotifications.map((n) => n.title));

describe('the agent workspace in a real browser', () => {
  it('a handoff from the web chat: alerted, claimed, suggestions, a private note, a canned response, a transfer with a note, resolved', { timeout: 180_000 }, async () => {
    const ana = await agentBrowser();
    await ana.context.grantPermissions(['notifications'], { origin: t.url });
    const signInPage = await ana.page.goto(`${t.url}/agent`);
    expect(new URL(ana.page.url()).pathname).toBe('/agent/login');
    expect(signInPage?.status()).toBe(200);
    await shot(ana.page, 'sign-in');
    expect(await seriousFindings(ana.page)).toEqual([]);
    await signIn(ana.page, ANA);
    const csp = (await ana.page.request.get(`${t.url}/agent`)).headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}';/);
    await ana.page.getByRole('tab', { name: /^Waiting/ }).waitFor(WAIT);
    await ana.page.getByText('Nobody is waiting', { exact: true }).waitFor(WAIT);
    await ana.page.getByText('Alerts', { exact: true }).click();
    await expect.poll(() => ana.page.getByRole('switch', { name: 'Alerts' }).isChecked(), WAIT).toBe(true);

    // The customer asks the shop's chat about returns, then for a person.
    const shopContext = await browser.newContext({ locale: 'en-US' });
    const shop = await shopContext.newPage();
    await shop.goto(t.url);
    await shop.locator('#parley-launcher').click();
    await type(shop, 'Can I exchange an item for another colour?');
    await expect.poll(async () => (await transcript(shop)).length, WAIT).toBeGreaterThan(3);
    await shop.getByRole('button', { name: 'Talk to a person' }).last().click().catch(async () => type(shop, 'I want to talk to a person'));

    // Ana is alerted and finds the conversation waiting.
    const waiting = ana.page.getByRole('listbox', { name: 'Waiting conversations' });
    await waiting.getByRole('option', { name: VISITOR }).waitFor(WAIT);
    await expect.poll(() => notifications(ana.page), WAIT).toContain('A customer is waiting');
    // What she has not read is counted on the row and in the tab's title.
    await waiting.getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, waiting .*, [1-9]\d* unread,/ }).waitFor(WAIT);
    await expect.poll(() => ana.page.title(), WAIT).toMatch(/^\([1-9]\d*\) Parley · Inbox$/);
    await waiting.getByRole('option', { name: VISITOR }).click();
    const conversation = ana.page.getByRole('main', { name: /^Conversation with/ });
    await conversation.getByRole('button', { name: 'Claim', exact: true }).click();
    await conversation.getByText('With you', { exact: true }).waitFor(WAIT);
    await expect.poll(() => ana.page.title(), WAIT).toBe('Parley · Inbox');

    // Cleo, of the same queue, opens it too: each sees the other there. Ana marks herself available.
    const cleo = await agentBrowser();
    await signIn(cleo.page, CLEO);
    await cleo.page.getByRole('tab', { name: /^All open/ }).click();
    await cleo.page.getByRole('listbox', { name: 'All open conversations' }).getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, with Ana Lima/ }).click();
    await conversation.getByRole('note', { name: 'Also viewing: Cleo Park' }).waitFor(WAIT);
    await cleo.page.getByRole('note', { name: 'Also viewing: Ana Lima' }).waitFor(WAIT);
    expect(await cleo.page.getByRole('textbox', { name: 'Reply to the customer' }).isDisabled()).toBe(true);
    expect(cleo.problems).toEqual([]);
    await cleo.context.close();
    await conversation.getByRole('note', { name: /^Also viewing/ }).waitFor({ state: 'detached', ...WAIT });
    await ana.page.getByText('Available', { exact: true }).click();
    await expect.poll(() => ana.page.getByRole('switch', { name: 'Available' }).isChecked(), WAIT).toBe(true);

    // Suggestions for the customer's question, readable and with their article, no score; they change with the next question.
    const suggested = ana.page.getByRole('list', { name: 'Suggested answers' });
    await suggested.getByRole('listitem').first().waitFor(WAIT);
    const firstSuggestions = await suggested.textContent();
    expect(firstSuggestions).toMatch(/exchang/i);
    expect(firstSuggestions).not.toMatch(/score|null|undefined/i);
    await type(shop, 'How long does delivery take?');
    await expect.poll(() => suggested.textContent(), WAIT).not.toBe(firstSuggestions);
    expect(await suggested.textContent()).toMatch(/deliver|shipping/i);
    // Typing, both ways: the customer's shows in the workspace, Ana's in the web chat with her name.
    const replyBox = ana.page.getByRole('textbox', { name: 'Reply to the customer' });
    // (The widget tells at most every three seconds that the customer types: they go on typing until it shows.)
    const customerTyping = conversation.getByText(/^Web chat visitor [0-9A-F]{4} is typing…$/);
    await expect.poll(async () => {
      await shop.locator('#parley-input').press('.');
      return customerTyping.isVisible();
    }, { timeout: 15_000, interval: 700 }).toBe(true);
    await replyBox.pressSequentially('Let me check', { delay: 40 });
    await shop.locator('.parley-typing', { hasText: 'Ana Lima is typing' }).waitFor(WAIT);
    await shop.locator('#parley-input').fill('');

    // A suggestion goes into the reply box, to edit before sending.
    await suggested.getByRole('button').first().click();
    await expect.poll(() => replyBox.inputValue(), WAIT).toMatch(/deliver/i);
    await ana.page.getByRole('tab', { name: /^Mine/ }).click();
    await ana.page.getByRole('listbox', { name: 'Mine conversations' }).getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, with Ana Lima/ }).waitFor(WAIT);
    await shot(ana.page, 'conversation');
    await replyBox.fill('');

    // A private note stays with the agents.
    await ana.page.getByRole('radio', { name: 'Private note' }).click();
    const noteBox = ana.page.getByRole('textbox', { name: 'Private note' });
    await noteBox.fill(NOTE);
    await ana.page.getByRole('button', { name: 'Add note' }).click();
    await conversation.locator('li[data-kind="note"]', { hasText: NOTE }).waitFor(WAIT);
    await ana.page.getByRole('radio', { name: 'Reply' }).click();

    // A canned response with a variable, made by Ana (an admin) and inserted with "/".
    await ana.page.getByRole('button', { name: 'Admin' }).click();
    await ana.page.getByRole('menuitem', { name: 'Canned responses' }).click();
    const cannedDialog = ana.page.getByRole('dialog', { name: 'Canned responses' });
    await cannedDialog.getByRole('button', { name: 'New canned response' }).click();
    await cannedDialog.getByRole('textbox', { name: 'Shortcut' }).fill('hello');
    await cannedDialog.getByRole('textbox', { name: 'Title' }).fill('Greeting');
    await cannedDialog.getByRole('textbox', { name: 'Text' }).fill('Hi, I am {{agent.name}} from Brightwave. Let me look into order {{order.number}} for you.');
    await cannedDialog.getByRole('button', { name: 'Save' }).click();
    await cannedDialog.getByText('/hello').waitFor(WAIT);
    await cannedDialog.getByRole('button', { name: 'Close' }).click();
    await replyBox.click();
    await ana.page.keyboard.type('/hel');
    const cannedMenu = ana.page.getByRole('listbox', { name: 'Canned responses' });
    await cannedMenu.getByRole('option', { name: /\/hello/ }).waitFor(WAIT);
    await shot(ana.page, 'canned');
    await ana.page.keyboard.press('Enter');
    // The agent's name is filled in; the order number the bot never learnt is left for Ana, who is told so.
    await expect.poll(() => replyBox.inputValue(), WAIT).toBe('Hi, I am Ana Lima from Brightwave. Let me look into order  for you.');
    await ana.page.getByRole('status').filter({ hasText: 'Fill in before sending: Order number.' }).waitFor(WAIT);
    await replyBox.fill(GREETING);
    await ana.page.keyboard.press('Enter');
    await conversation.locator('li[data-kind="agent"]', { hasText: GREETING }).waitFor(WAIT);
    await expect.poll(async () => (await transcript(shop)).map((line) => line.text), WAIT).toContain(GREETING);

    // A reply in another language than the customer's is flagged before it is sent.
    await replyBox.fill('Vielen Dank, ich schaue mir das gleich an und melde mich bei Ihnen.');
    await ana.page.getByRole('status').filter({ hasText: 'This reads as German; the customer writes English.' }).waitFor(WAIT);
    await replyBox.fill('');

    // The keyboard: Escape leaves the reply box, ? lists the shortcuts.
    await replyBox.press('Escape');
    await ana.page.keyboard.press('?');
    await ana.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor(WAIT);
    await shot(ana.page, 'shortcuts');
    await ana.page.keyboard.press('Escape');
    await ana.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached', ...WAIT });
    expect(await seriousFindings(ana.page)).toEqual([]);

    // Transfer to billing with a note for Ben.
    await conversation.getByRole('button', { name: 'Hand over…' }).click();
    const handOver = ana.page.getByRole('dialog', { name: 'Hand over' });
    await handOver.getByText('Another queue').click();
    await handOver.getByRole('button', { name: /Choose a queue/ }).click();
    await ana.page.getByRole('option', { name: 'billing' }).click();
    await handOver.getByRole('textbox', { name: /Note for them/ }).fill(TRANSFER_NOTE);
    await shot(ana.page, 'transfer');
    await handOver.getByRole('button', { name: 'Transfer' }).click();
    await handOver.waitFor({ state: 'detached', ...WAIT });
    await ana.page.getByRole('heading', { name: /^Transferred to billing: / }).waitFor(WAIT);

    const ben = await agentBrowser();
    await signIn(ben.page, BEN);
    const bensWaiting = ben.page.getByRole('listbox', { name: 'Waiting conversations' });
    await bensWaiting.getByRole('option', { name: VISITOR }).click();
    const bensConversation = ben.page.getByRole('main', { name: /^Conversation with/ });
    await bensConversation.locator('li[data-kind="note"]', { hasText: TRANSFER_NOTE }).waitFor(WAIT);
    await bensConversation.locator('li[data-kind="note"]', { hasText: NOTE }).waitFor(WAIT);
    await bensConversation.getByRole('button', { name: 'Claim', exact: true }).click();
    await bensConversation.getByText('With you', { exact: true }).waitFor(WAIT);
    await ben.page.keyboard.press('e');
    const resolveDialog = ben.page.getByRole('dialog', { name: /^Resolve the conversation/ });
    await resolveDialog.getByRole('button', { name: 'Resolve' }).click();
    await ben.page.getByRole('heading', { name: /^Resolved: / }).waitFor(WAIT);
    await shot(ben.page, 'resolved');
    await ben.page.getByRole('tab', { name: /^Resolved/ }).click();
    await ben.page.getByRole('listbox', { name: 'Resolved conversations' }).getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, resolved/ }).click();
    await ben.page.getByRole('textbox', { name: 'Reply to the customer' }).and(ben.page.locator('[placeholder="This conversation is resolved."]')).waitFor(WAIT);

    // Neither note ever reached the customer: not on screen, not in the web chat's history.
    const customerSaw = (await transcript(shop)).map((line) => line.text).join('\n');
    const history = (await webTranscript(t.url, await shop.evaluate(() => localStorage.getItem('parley.conversationId') ?? ''))).map((line) => line.text).join('\n');
    for (const text of [customerSaw, history]) {
      expect(text).not.toContain(NOTE);
      expect(text).not.toContain(TRANSFER_NOTE);
    }

    expect(ana.problems).toEqual([]);
    expect(ben.problems).toEqual([]);
    await shopContext.close();
    await ana.context.close();
    await ben.context.close();
  });

  it('fits a tablet: the list and the conversation side by side, the details on demand, nothing serious for axe; upright one pane at a time; assigned to a colleague', { timeout: 120_000 }, async () => {
    await say(t.url, TABLET_CUSTOMER, 'm1', { text: 'Do you ship to Austria?' });
    await say(t.url, TABLET_CUSTOMER, 'm2', { text: 'I want to talk to a person' });
    const ana = await agentBrowser({ width: 1024, height: 768 });
    await signIn(ana.page, ANA);
    await ana.page.getByRole('listbox', { name: 'Waiting conversations' }).getByRole('option', { name: VISITOR }).click();
    const conversation = ana.page.getByRole('main', { name: /^Conversation with/ });
    await conversation.getByRole('textbox', { name: 'Reply to the customer' }).waitFor(WAIT);
    // The sidebar waits behind a button until asked for.
    const details = ana.page.getByRole('complementary', { name: 'About this conversation' });
    expect(await details.isVisible()).toBe(false);
    await ana.page.getByRole('button', { name: 'Details' }).click();
    await details.getByRole('heading', { name: 'Customer' }).waitFor(WAIT);
    await shot(ana.page, 'tablet');
    expect(await seriousFindings(ana.page)).toEqual([]);
    await ana.page.getByRole('button', { name: 'Hide details' }).click();
    await details.waitFor({ state: 'hidden', ...WAIT });

    // Upright, one pane at a time: the conversation, and back to the list.
    await ana.page.setViewportSize({ width: 768, height: 1024 });
    await ana.page.getByRole('button', { name: 'Back to the conversations' }).click();
    await ana.page.getByRole('listbox', { name: 'Waiting conversations' }).getByRole('option', { name: VISITOR }).click();

    // Assigned to a colleague of the queue (Cleo has not said she is available: away, and still assignable); her
    // workspace, with alerts on, tells her.
    const cleo = await agentBrowser();
    await cleo.context.grantPermissions(['notifications'], { origin: t.url });
    await signIn(cleo.page, CLEO);
    await cleo.page.getByText('Alerts', { exact: true }).click();
    await expect.poll(() => cleo.page.getByRole('switch', { name: 'Alerts' }).isChecked(), WAIT).toBe(true);
    await conversation.getByRole('button', { name: 'Hand over…' }).click();
    const handOver = ana.page.getByRole('dialog', { name: 'Hand over' });
    await handOver.getByRole('button', { name: /Choose a colleague/ }).click();
    await ana.page.getByRole('option', { name: 'Cleo Park (away)' }).click();
    await handOver.getByRole('button', { name: 'Assign' }).click();
    await conversation.getByText('With Cleo Park', { exact: true }).waitFor(WAIT);
    expect(await conversation.getByRole('textbox', { name: 'Reply to the customer' }).isDisabled()).toBe(true);
    await expect.poll(() => notifications(cleo.page), WAIT).toContain('Assigned to you');
    await cleo.page.getByRole('tab', { name: /^Mine/ }).click();
    await cleo.page.getByRole('listbox', { name: 'Mine conversations' }).getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, with Cleo Park/ }).waitFor(WAIT);
    expect(cleo.problems).toEqual([]);
    await cleo.context.close();
    expect(ana.problems).toEqual([]);
    await ana.context.close();
  });

  it('searches, and moves by keyboard: j and k through the list, r to the reply box, e to resolve; letters typed in a text field stay text; a waiting customer writing again is told', { timeout: 90_000 }, async () => {
    const first = '6c2d9a4e-1f3b-4c5d-8e7f-0a1b2c3d4e5f';
    const second = '7d3e0b5f-2a4c-4d6e-9f80-1b2c3d4e5f60';
    await say(t.url, first, 'm1', { text: 'My parcel from order 1001 never arrived' });
    await say(t.url, first, 'm2', { text: 'I want to talk to a person' });
    await say(t.url, second, 'm1', { text: 'Can I pay by invoice?' });
    await say(t.url, second, 'm2', { text: 'I want to talk to a person' });
    const ana = await agentBrowser();
    await signIn(ana.page, ANA);
    const waiting = ana.page.getByRole('listbox', { name: 'Waiting conversations' });
    await expect.poll(() => waiting.getByRole('option', { name: VISITOR }).count(), WAIT).toBe(2);
    // The search looks into what the customers wrote, then is cleared.
    const search = ana.page.getByRole('searchbox', { name: 'Search customers and messages' });
    await search.fill('invoice');
    await expect.poll(() => waiting.getByRole('option', { name: VISITOR }).count(), WAIT).toBe(1);
    await search.fill('lawn mower');
    await waiting.getByText('No conversation matches', { exact: true }).waitFor(WAIT);
    await search.fill('');
    await expect.poll(() => waiting.getByRole('option', { name: VISITOR }).count(), WAIT).toBe(2);
    await search.blur();
    const transcriptText = () => ana.page.getByRole('region', { name: 'Transcript' }).textContent();
    await ana.page.keyboard.press('j');
    await expect.poll(transcriptText, WAIT).toContain('order 1001');
    await ana.page.keyboard.press('j');
    await expect.poll(transcriptText, WAIT).toContain('pay by invoice');
    await ana.page.keyboard.press('k');
    await expect.poll(transcriptText, WAIT).toContain('order 1001');
    await ana.page.keyboard.press('r');
    const replyBox = ana.page.getByRole('textbox', { name: 'Reply to the customer' });
    await expect.poll(() => replyBox.evaluate((box) => box === document.activeElement), WAIT).toBe(true);
    await ana.page.keyboard.type('jke');
    expect(await replyBox.inputValue()).toBe('jke');
    expect(await ana.page.getByRole('dialog').count()).toBe(0);
    await ana.page.keyboard.press('Escape');
    await ana.page.keyboard.press('e');
    await ana.page.getByRole('dialog', { name: /^Resolve the conversation/ }).waitFor(WAIT);
    await ana.page.keyboard.press('Escape');
    await ana.page.getByRole('dialog').waitFor({ state: 'detached', ...WAIT });
    // The unsent draft stays with its conversation.
    await ana.page.keyboard.press('j');
    await expect.poll(transcriptText, WAIT).toContain('pay by invoice');
    expect(await replyBox.inputValue()).toBe('');
    await ana.page.keyboard.press('k');
    await expect.poll(transcriptText, WAIT).toContain('order 1001');
    await expect.poll(() => replyBox.inputValue(), WAIT).toBe('jke');

    // With alerts on, the other waiting customer writing again is told while Ana reads the first.
    await ana.context.grantPermissions(['notifications'], { origin: t.url });
    await ana.page.getByText('Alerts', { exact: true }).click();
    await expect.poll(() => ana.page.getByRole('switch', { name: 'Alerts' }).isChecked(), WAIT).toBe(true);
    await say(t.url, second, 'm3', { text: 'Hello? Is anyone there?' });
    await expect.poll(() => notifications(ana.page), WAIT).toContainEqual(expect.stringMatching(/^New message from Web chat visitor [0-9A-F]{4}$/));
    await waiting.getByRole('option', { name: /^Web chat visitor [0-9A-F]{4}, waiting .*, [1-9]\d* unread,.*Hello\? Is anyone there\?/ }).waitFor(WAIT);
    expect(ana.problems).toEqual([]);
    await ana.context.close();
  });
});
