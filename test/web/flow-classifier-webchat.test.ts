/**
 * The flow classifier end to end: the demo flows behind the web chat endpoint, with OPENAI_* pointing at a local
 * OpenAI-compatible server that records what Parley sends it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifySystemPrompt } from '../../src/integrations/flow-classifier.ts';
import { article, tempDir } from '../kb/support/kb-dir.ts';
import { startFakeOpenAi, type ChatMessage, type FakeOpenAi, type RecordedRequest } from '../kb/support/fake-openai.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';

const UNMATCHED = 'the speaker I bought crackles, what can I do? reach me at jane.doe@example.com or +31 6 1234 5678';

describe('web chat with the flow classifier', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let knowledge: { dir: string; cleanup: () => Promise<void> };
  let choice = '{"flow": "returns", "confidence": 0.85}';

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // The knowledge base (the fallback's answer step) asks the same model: it is never sure.
    fake.reply = (messages: ChatMessage[]) => (messages[0]?.content === classifySystemPrompt() ? choice : 'NOT_SURE');
    knowledge = await tempDir({ 'gift-cards.md': article({ title: 'Gift cards' }, 'Gift cards are valid for two years.') });
    t = await startTestApp({
      OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, OPENAI_CHAT_MODEL: 'test-chat', KNOWLEDGE_DIR: knowledge.dir,
      FLOWS_WATCH: 'false', KB_WATCH: 'false',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await knowledge?.cleanup();
  });
  afterEach(() => {
    fake.requests.length = 0;
    choice = '{"flow": "returns", "confidence": 0.85}';
  });

  const classifierRequests = (): RecordedRequest[] =>
    fake.chatRequests().filter((r) => (r.body.messages as ChatMessage[])[0]?.content === classifySystemPrompt());

  it('sends unmatched text, masked, with the flow descriptions, and starts the flow the model chose', async () => {
    const { replies } = await say(t.url, 'classify-1', 'm1', { text: UNMATCHED });
    expect(replies.map((r) => r.text)).toEqual([
      'You can return anything you bought from Brightwave within 30 days of delivery.',
      'Which of these fits your item best?',
    ]);
    const conversation = await t.app.store.findConversation('web', 'classify-1');
    expect(conversation?.state).toMatchObject({ flow: 'returns', awaiting: { flow: 'returns', step: 'ask_condition' } });
    expect(conversation?.state.pendingEffect).toBeUndefined();

    const sent = classifierRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.model).toBe('test-chat');
    const user = (sent[0]!.body.messages as ChatMessage[])[1]!.content;
    expect(user).toContain('Our 30-day returns, and what to do for unopened, opened or defective items.');
    expect(user).toContain('Opening hours, phone, email and the store address.');
    expect(user).toContain('I want to return my headphones');
    expect(user).toContain('the speaker I bought crackles, what can I do? reach me at [email] or [phone]');
    expect(user).not.toContain('jane.doe');
    expect(user).not.toContain('1234 5678');
    // The fallback is never a choice.
    expect(user).not.toContain('"flow": "fallback"');
  });

  it('a low-confidence choice runs the fallback, as without a model', async () => {
    choice = '{"flow": "returns", "confidence": 0.4}';
    const { replies } = await say(t.url, 'classify-2', 'm1', { text: 'purple elephants dancing' });
    expect(classifierRequests()).toHaveLength(1);
    expect(replies[0]!.text).toContain("I'm not sure I understood that");
    const conversation = await t.app.store.findConversation('web', 'classify-2');
    expect(conversation?.state.flow).toBeUndefined();
    expect(conversation?.state.pendingEffect).toBeUndefined();
  });

  it('keywords, buttons and typed button titles never reach the model', async () => {
    const keyword = await say(t.url, 'classify-3', 'm1', { text: 'I want a refund' });
    expect(keyword.replies[0]!.text).toContain('You can return anything');
    const button = await say(t.url, 'classify-3', 'm2', { payload: 'contact' });
    expect(button.replies[0]!.text).toContain('Monday to Friday');
    const title = await say(t.url, 'classify-3', 'm3', { text: 'Main menu' });
    expect(title.replies.map((r) => r.text)).toContain('What can I help you with? Tap a button or just tell me what you need.');
    expect(classifierRequests()).toEqual([]);
  });
});
