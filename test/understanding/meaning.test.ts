import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { createKnowledgeBase, type KnowledgeBase } from '../../src/kb/index.ts';
import { Understander } from '../../src/understanding/understander.ts';
import { article, tempDir } from '../kb/support/kb-dir.ts';
import { DIMENSIONS, fakeEmbedding, startFakeOpenAi, type FakeOpenAi } from '../kb/support/fake-openai.ts';

/**
 * A stand-in for an embedding model that knows a little meaning in two languages: words of one concept share a
 * dimension ("schwer", "heavy", "weighs"), every other word is hashed as in fakeEmbedding.
 */
const CONCEPTS = [
  ['heavy', 'weigh', 'weighs', 'weight', 'grams', 'schwer', 'wiegt', 'gewicht', 'gramm'],
  ['battery', 'hours', 'lasts', 'akku', 'stunden', 'halt'],
  ['headphones', 'kopfhorer', 'over', 'ear'],
  ['return', 'refund', 'zuruckgeben', 'erstattung'],
];
function meaningEmbedding(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  const rest: string[] = [];
  for (const word of text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const concept = CONCEPTS.findIndex((words) => words.includes(word));
    if (concept >= 0) v[concept]! += 3;
    else rest.push(word);
  }
  const hashed = fakeEmbedding(rest.join(' '));
  return v.map((x, i) => x + (i < CONCEPTS.length ? 0 : hashed[i]!));
}

const HEADPHONES = article(
  { title: 'Wave 700 headphones' },
  '## Battery\nThe battery lasts 30 hours with noise cancelling on.\n\n## Weight\nThe Wave 700 weighs 250 grams, light enough for a whole day.',
);
const RETURNS = article({ title: 'Return policy' }, 'Return anything within 30 days of delivery for a full refund.');
/** German, and no word in common with the English-only article. */
const QUESTION = 'wie schwer sind die kopfhörer';

let fake: FakeOpenAi;
let kb: KnowledgeBase;
let flows: FlowSet;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await startFakeOpenAi();
  fake.embed = meaningEmbedding;
  const knowledge = await tempDir({ 'headphones.md': HEADPHONES, 'returns.md': RETURNS });
  const data = await tempDir();
  cleanups.push(knowledge.cleanup, data.cleanup);
  kb = await createKnowledgeBase({
    dir: knowledge.dir, dataDir: data.dir, progress: { write: () => true },
    openai: { apiKey: 'test-key', baseURL: fake.baseURL, chatModel: 'test-chat', embeddingModel: 'test-embed' },
  });
  flows = await loadFlows(path.resolve(import.meta.dirname, '../../flows'));
});
afterAll(async () => {
  await kb.close();
  await fake.close();
  for (const cleanup of cleanups) await cleanup();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.failWith = {};
});

const understander = (withMeaning: boolean) =>
  new Understander({ minConfidence: 0.5, knowledge: () => kb.snapshot(), ...(withMeaning ? { similar: (text: string) => kb.similar!(text) } : {}) });

describe('understanding by meaning, with OpenAI embeddings', () => {
  it('answers a German question from an article written only in English, from the passage that answers it', async () => {
    expect((await understander(false).understand(flows, QUESTION, { locale: 'de' })).decision.kind).toBe('decline');

    const understood = await understander(true).understand(flows, QUESTION, { locale: 'de' });
    expect(understood.language).toBe('de');
    expect(understood.decision).toMatchObject({ kind: 'knowledge', article: 'headphones' });
    expect(understood.why).toMatch(/found by meaning: headphones \(written in en/);
    expect(fake.embeddingRequests().map((r) => r.body.input)).toContainEqual([QUESTION]);

    const decision = understood.decision as { article: string; confidence: number; passage: string };
    fake.reply = () => 'Der Wave 700 wiegt 250 Gramm.\nSources: 1';
    const answer = await kb.answer(QUESTION, { locale: 'de', understood: decision });
    expect(answer).toMatchObject({ answer: 'Der Wave 700 wiegt 250 Gramm.', sources: ['Wave 700 headphones'] });
    // The model is given the Weight section, not the article's first one.
    const prompt = (fake.chatRequests().at(-1)!.body.messages as Array<{ content: string }>)[1]!.content;
    expect(prompt).toContain('250 grams');
    expect(prompt).not.toContain('30 hours');

    // Translated, its words are the model's own, but a number the passage does not state is still refused.
    fake.reply = () => 'Der Wave 700 wiegt 300 Gramm.\nSources: 1';
    const invented = await kb.answer(QUESTION, { locale: 'de', understood: decision });
    expect(invented.answer).not.toContain('300');
    expect(invented.answer).toContain('250 grams');
  });

  it('quotes that passage offline when the chat model is unavailable, saying it is in English', async () => {
    const understood = await understander(true).understand(flows, QUESTION, { locale: 'de' });
    fake.failWith.chat = 400;
    const answer = await kb.answer(QUESTION, { locale: 'de', understood: understood.decision as { article: string; confidence: number; passage: string } });
    expect(answer.answer).toContain('250 grams');
    expect(answer.answer).toContain('nur auf Englisch');
  });

  it('is not asked when the decision must be offline, and the offline decline stands when the service fails', async () => {
    const offline = await understander(true).understand(flows, QUESTION, { locale: 'de', model: false });
    expect(offline.decision.kind).toBe('decline');
    expect(fake.embeddingRequests()).toHaveLength(0);

    fake.failWith.embeddings = 400;
    const failed = await understander(true).understand(flows, QUESTION, { locale: 'de' });
    expect(failed.decision.kind).toBe('decline');
    expect(fake.embeddingRequests().length).toBeGreaterThan(0);
  });

  it('masks email addresses and phone numbers before the question leaves the machine', async () => {
    await understander(true).understand(flows, `${QUESTION}? jane.doe@example.com +31 6 1234 5678`, { locale: 'de' });
    const sent = JSON.stringify(fake.embeddingRequests().map((r) => r.body.input));
    expect(sent).toContain('kopfhörer');
    expect(sent).not.toContain('jane.doe@example.com');
    expect(sent).not.toContain('1234 5678');
  });

  it('leaves a message the offline ranking understands alone', async () => {
    const understood = await understander(true).understand(flows, 'how long does the battery of the wave 700 last', { locale: 'en' });
    expect(understood.decision).toMatchObject({ kind: 'knowledge', article: 'headphones' });
    expect(understood.why).not.toMatch(/by meaning/);
    expect(fake.embeddingRequests()).toHaveLength(0);
  });
});
