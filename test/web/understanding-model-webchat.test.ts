/**
 * The understanding step's model choice end to end: the demo flows behind the web chat endpoint, with OPENAI_*
 * pointing at a local OpenAI-compatible server that records what Parley sends it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { choiceSystemPrompt } from '../../src/understanding/model-choice.ts';
import { article, tempDir } from '../kb/support/kb-dir.ts';
import { startFakeOpenAi, type ChatMessage, type FakeOpenAi, type RecordedRequest } from '../kb/support/fake-openai.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';

/** Offline this is not sure (it declines); the model sees the returns flow and the speaker article among its candidates. */
const UNSURE = 'the speaker I got is weird, take it back? reach me at jane.doe@example.com or +31 6 1234 5678';
const NO_CHOICE = '{"choice": null, "confidence": 0}';

describe('web chat with the understanding model', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let knowledge: { dir: string; cleanup: () => Promise<void> };
  let choice = NO_CHOICE;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    fake.reply = (messages: ChatMessage[]) => {
      if (messages[0]?.content === choiceSystemPrompt()) return choice;
      // The answer writer: it answers from the passage it was given.
      const passage = messages[1]?.content.match(/Crackling sound usually means a loose cable\./)?.[0];
      return passage ? `${passage}\nSources: 1` : 'NOT_SURE';
    };
    knowledge = await tempDir({
      'speaker-care.md': article(
        { title: 'Looking after your speaker', questions: ['How do I clean my speaker?', 'Why does my speaker crackle?'] },
        'Keep the speaker dry and clean the grille with a soft brush. Crackling sound usually means a loose cable.',
      ),
      'gift-cards.md': article({ title: 'Gift cards' }, 'Gift cards are valid for two years.'),
    });
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
    fake.failWith = {};
    choice = NO_CHOICE;
  });

  const choiceRequests = (): RecordedRequest[] =>
    fake.chatRequests().filter((r) => (r.body.messages as ChatMessage[])[0]?.content === choiceSystemPrompt());
  const sentText = (r: RecordedRequest) => (r.body.messages as ChatMessage[])[1]!.content;

  it('sends the message masked with its candidates, and starts the flow the model chose', async () => {
    choice = '{"choice": "flow:returns", "confidence": 0.85}';
    const { replies } = await say(t.url, 'model-1', 'm1', { text: UNSURE });
    expect(replies.map((r) => r.text)).toContain('You can return anything you bought from Brightwave within 30 days of delivery.');
    const conversation = await t.app.store.findConversation('web', 'model-1');
    expect(conversation?.state).toMatchObject({ flow: 'returns', awaiting: { flow: 'returns', step: 'ask_condition' } });

    const sent = choiceRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.model).toBe('test-chat');
    const user = sentText(sent[0]!);
    expect(user).toContain('"id": "flow:returns"');
    expect(user).toContain('Our 30-day returns, and what to do for unopened, opened or defective items.');
    expect(user).toContain('"id": "knowledge:speaker-care"');
    expect(user).toContain('the speaker I got is weird, take it back? reach me at [email] or [phone]');
    expect(user).not.toContain('jane.doe');
    expect(user).not.toContain('1234 5678');
    expect(user).not.toContain('flow:fallback');

    // The answer to the question the flow now asks is the customer's: it never goes to the model.
    await say(t.url, 'model-1', 'm2', { text: 'it is opened but works, my address is 12 Elm Street' });
    expect(choiceRequests()).toHaveLength(1);
  });

  it('answers from the article the model chose', async () => {
    choice = '{"choice": "knowledge:speaker-care", "confidence": 0.9}';
    const { replies } = await say(t.url, 'model-2', 'm1', { text: UNSURE });
    expect(choiceRequests()).toHaveLength(1);
    expect(replies.map((r) => r.text).join('\n')).toContain('Crackling sound usually means a loose cable.');
    expect(replies.map((r) => r.text).join('\n')).toContain('Looking after your speaker');
  });

  it('a choice below the threshold leaves the offline decline', async () => {
    choice = '{"choice": "flow:returns", "confidence": 0.4}';
    const { replies } = await say(t.url, 'model-3', 'm1', { text: UNSURE });
    expect(choiceRequests()).toHaveLength(1);
    expect(replies[0]!.text).toContain("I'm not sure I understood");
    const conversation = await t.app.store.findConversation('web', 'model-3');
    expect(conversation?.state.flow).toBeUndefined();
  });

  it('a failing model leaves the offline decision', async () => {
    fake.failWith = { chat: 500 };
    const { replies } = await say(t.url, 'model-4', 'm1', { text: 'how do I clean my speaker' });
    expect(choiceRequests()).toHaveLength(1);
    // The answer writer fails too: the extractive answer from the article the offline ranking chose.
    expect(replies.map((r) => r.text).join('\n')).toContain('clean the grille with a soft brush');
    expect(t.logs.join('')).toContain('the understanding model failed; the offline decision stands');
    expect(t.logs.filter((line) => line.includes('understanding model')).join('')).not.toContain('clean my speaker');
  });

  it('keywords, buttons and typed button titles or numbers never reach the model', async () => {
    choice = '{"choice": "knowledge:gift-cards", "confidence": 1}';
    const keyword = await say(t.url, 'model-5', 'm1', { text: 'refund' });
    expect(keyword.replies[0]!.text).toContain('You can return anything');
    const button = await say(t.url, 'model-5', 'm2', { payload: 'contact' });
    expect(button.replies[0]!.text).toContain('Monday to Friday');
    const title = await say(t.url, 'model-5', 'm3', { text: 'Main menu' });
    expect(title.replies.map((r) => r.text)).toContain('What can I help you with? Tap a button or just tell me what you need.');
    const number = await say(t.url, 'model-5', 'm4', { text: '3' });
    expect(number.replies[0]!.text).toContain("Here's how to reach Brightwave Electronics");
    expect(choiceRequests()).toEqual([]);
  });
});
