/**
 * Every prompt that leaves for a model carries the customer's text redacted: the understanding model's, the knowledge
 * answer writer's (and the question's embedding), the handoff summary's. The whole demo app runs with OPENAI_* pointing
 * at a local OpenAI-compatible server that records what it receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_SYSTEM_PROMPT } from '../../src/handoff/model-summary.ts';
import { choiceSystemPrompt } from '../../src/understanding/model-choice.ts';
import { article, tempDir } from '../kb/support/kb-dir.ts';
import { startFakeOpenAi, type ChatMessage, type FakeOpenAi, type RecordedRequest } from '../kb/support/fake-openai.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { sqlOf } from '../support/sql.ts';

const SECRETS = ['23456789', 'jo.doe', 'example.org', '4111', '3704 0044'];

describe('model prompts are redacted', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let knowledge: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    fake.reply = (messages: ChatMessage[]) => {
      // The understanding model picks the article for the question about it (the answer writer then sees its passage).
      if (messages[0]?.content === choiceSystemPrompt()) {
        return messages[1]?.content.includes('Wave 700 have noise') ? '{"choice": "knowledge:wave-700", "confidence": 0.9}' : '{"choice": null, "confidence": 0}';
      }
      if (messages[0]?.content === SUMMARY_SYSTEM_PROMPT) return 'The customer asks about noise cancelling and wants a call back on [phone].';
      return 'The Wave 700 has active noise cancelling.\nSources: 1';
    };
    knowledge = await tempDir({
      'wave-700.md': article(
        { title: 'Wave 700 noise cancelling', questions: ['Does the Wave 700 have noise cancelling?', 'Wave 700 noise cancelling'] },
        'The Wave 700 has active noise cancelling with three levels.',
      ),
    });
    t = await startTestApp({
      OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, OPENAI_CHAT_MODEL: 'test-chat', KNOWLEDGE_DIR: knowledge.dir,
      FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_SUMMARY_TIMEOUT_MS: '3000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await knowledge?.cleanup();
  });

  const bySystem = (match: (system: string) => boolean): RecordedRequest[] =>
    fake.chatRequests().filter((r) => match(String((r.body.messages as ChatMessage[])[0]?.content ?? '')));
  const userText = (r: RecordedRequest) => (r.body.messages as ChatMessage[]).map((m) => m.content).join('\n');

  it('the understanding model, the answer writer and the handoff summary see placeholders only, and no request carries a secret', async () => {
    fake.requests.length = 0;
    await say(t.url, 'prompts-1', 'm1', { text: 'Does the Wave 700 have noise cancelling? I am on 0151 23456789, jo.doe@example.org' });
    await say(t.url, 'prompts-1', 'm2', { text: 'my card 4111 1111 1111 1111 was charged, refund to DE89 3704 0044 0532 0130 00' });
    await say(t.url, 'prompts-1', 'm3', { text: 'talk to a person please' });
    await until(() => bySystem((s) => s === SUMMARY_SYSTEM_PROMPT).length, (n) => n > 0, 'the summary request');

    console.log(fake.requests.map((r) => r.path + ' ' + JSON.stringify(r.body).slice(0, 300)).join('\n'));
    const chooser = bySystem((s) => s === choiceSystemPrompt());
    const writer = bySystem((s) => s.includes('knowledge-base passages'));
    const summary = bySystem((s) => s === SUMMARY_SYSTEM_PROMPT);
    expect(chooser.length).toBeGreaterThan(0);
    expect(writer.length).toBeGreaterThan(0);
    expect(userText(chooser[0]!)).toContain('I am on [phone], [email]');
    expect(userText(writer[0]!)).toContain('I am on [phone], [email]');
    // A question the understanding step decided is answered from its article without embedding it again; any
    // embedding request that does carry it is covered by the check on everything below.
    const summaryText = userText(summary[0]!);
    expect(summaryText).toContain('I am on [phone], [email]');
    expect(summaryText).toContain('my card [card] was charged, refund to [iban]');

    const everything = JSON.stringify(fake.requests);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it('the handoff context keeps only what an agent needs: no address, no raw identity, no internal variables', async () => {
    const conversation = await t.app.store.findConversation('web', 'prompts-1');
    const rows = await sqlOf(t.app.store).query<{ context: Record<string, any> }>('SELECT context FROM handoffs WHERE conversation_id = $1', [conversation!.id]);
    const context = rows.rows[0]!.context;
    expect(context.version).toBe(2);
    expect(context.channel).toEqual({ id: 'web' });
    expect(Object.keys(context.customer).sort()).toEqual(['id', 'locale', 'name', 'preferredChannel']);
    expect(JSON.stringify(context)).not.toContain('"userId"');
    expect(Object.keys(context.flow.vars).filter((name) => name.startsWith('_'))).toEqual([]);
    // The agent still sees what the customer wrote, unredacted: they take the conversation over.
    expect(context.transcript.map((line: { text: string }) => line.text)).toContain('talk to a person please');
  });
});
