import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { activity, FakeConnector, postActivity } from '../channels/botframework/support.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../kb/support/fake-openai.ts';
import { say } from '../support/app.ts';
import { fakeSlackApi } from './fake-slack.ts';
import { ANA, asAgent, eventually, startHandoffApp, type HandoffApp } from './support.ts';
import { call, handOver } from './workspace-support.ts';

/**
 * Private notes never reach the other readers of a conversation: the Slack desk's thread, the Bot Framework channel
 * (its handoff.initiate transcript and its messages), and the chat model (summaries, written answers).
 */
const NOTE = 'PRIVATE-NOTE refund already approved by finance, do not mention yet';
let running: HandoffApp | undefined;
const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const stop of stops.splice(0)) await stop();
});

describe('private notes stay out of the other readers', () => {
  it('the Slack desk: its post and thread get the conversation, never a note', async () => {
    const slack = await fakeSlackApi();
    stops.push(() => new Promise((resolve) => slack.server.close(resolve)));
    const t = (running = await startHandoffApp({ SLACK_SIGNING_SECRET: 'slack-secret-for-notes', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_AGENT_CHANNEL: 'CNOTES', SLACK_API_URL: slack.url }));
    const id = await handOver(t, 'slack-note');
    await eventually(async () => slack.calls.find((c) => c.method === 'chat.postMessage' && !c.args.thread_ts));
    expect((await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: NOTE })).status).toBe(201);
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'slack-r1', text: 'Checking your refund now.' });
    await say(t.url, 'slack-note', 'slack-m2', { text: 'thanks, waiting' });
    await eventually(async () => slack.calls.find((c) => /thanks, waiting/.test(String(c.args.text))));
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/resolve`, { outcome: 'done' });
    await eventually(async () => slack.calls.find((c) => c.method === 'chat.update' && /resolved/i.test(JSON.stringify(c.args.blocks))));
    expect(slack.calls.some((c) => /Checking your refund now/.test(String(c.args.text)))).toBe(true);
    expect(JSON.stringify(slack.calls)).not.toContain('PRIVATE-NOTE');
  });

  it('the Bot Framework desk and channel: neither the messages nor the next handoff.initiate transcript carry a note', async () => {
    const connector = await new FakeConnector().start();
    stops.push(() => connector.close());
    const t = (running = await startHandoffApp({ BOTFRAMEWORK_EMULATOR: 'true', CHANNEL_SEND_TIMEOUT_MS: '2000' }));
    const ids = { conversationId: `${randomUUID()}|livechat`, serviceUrl: connector.url };
    const initiates = () => connector.activities.filter((a) => a.conversationId === ids.conversationId && a.body.name === 'handoff.initiate');
    await postActivity(t.url, activity('message', { ...ids, id: randomUUID(), text: 'human' }));
    const first = (await connector.waitFor(() => initiates()[0], 15_000)).body.value.handoffId as string;
    expect((await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${first}/notes`, { text: NOTE })).status).toBe(201);
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${first}/replies`, { messageId: 'bf-r1', text: 'Hello from the console.' });
    await connector.waitFor(() => connector.texts(ids.conversationId).includes('Hello from the console.'));
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${first}/resolve`, { outcome: 'done' });
    await connector.waitFor(() => connector.texts(ids.conversationId).some((text) => text?.startsWith('Your conversation with Ana')));
    await postActivity(t.url, activity('message', { ...ids, id: randomUUID(), text: 'human' }));
    const second = await connector.waitFor(() => initiates()[1], 15_000);
    const transcript = JSON.stringify(second.body.attachments);
    expect(transcript).toContain('Hello from the console.');
    expect(JSON.stringify(connector.activities)).not.toContain('PRIVATE-NOTE');
  }, 40_000);

  it("the chat model: neither the next handoff's summary prompt nor a written answer's prompt carries a note", async () => {
    const fake: FakeOpenAi = await startFakeOpenAi();
    stops.push(() => fake.close());
    fake.reply = () => 'A short summary.';
    const t = (running = await startHandoffApp({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, OPENAI_CHAT_MODEL: 'test-chat', HANDOFF_SUMMARY_TIMEOUT_MS: '2000' }));
    const id = await handOver(t, 'model-note');
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: NOTE });
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/resolve`, { outcome: 'done' });
    const before = fake.chatRequests().length;
    await say(t.url, 'model-note', 'q1', { text: 'how long does shipping take to Germany?' });
    await say(t.url, 'model-note', 'q2', { text: 'human' });
    const conversation = await t.app.store.findConversation('web', 'model-note');
    await eventually(async () => ((await t.handoffs.openFor(conversation!.id))?.id !== id ? true : undefined));
    // The second handoff's summary was asked of the model, with the conversation in it.
    expect(fake.chatRequests().length).toBeGreaterThan(before);
    const sent = JSON.stringify(fake.requests);
    expect(sent).toContain('shipping take to Germany');
    expect(sent).not.toContain('PRIVATE-NOTE');
  }, 60_000);
});
