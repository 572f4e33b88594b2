import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, BEN, collectFrames, eventually, startHandoffApp, type HandoffApp } from './support.ts';
import { call, handOver } from './workspace-support.ts';

/**
 * Suggestions (issue 17), from the demo's real knowledge base: the best distinct passages for the customer's latest
 * question, readable and without scores, none for a question it did not understand, pushed again on each message.
 */
describe('suggestions', () => {
  let t: HandoffApp;
  beforeAll(async () => {
    t = await startHandoffApp();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const expectReadable = (suggestions: Array<{ articleId: string; title: string; snippet: string; text: string }>) => {
    for (const s of suggestions) {
      expect(Object.keys(s).sort()).toEqual(['articleId', 'snippet', 'text', 'title']);
      expect(s.snippet.length).toBeLessThanOrEqual(221);
      expect(s.snippet).not.toMatch(/^#|\*\*/);
    }
    expect(new Set(suggestions.map((s) => s.articleId)).size).toBe(suggestions.length);
    expect(new Set(suggestions.map((s) => s.snippet)).size).toBe(suggestions.length);
  };

  it("follow the customer's latest question, on the socket too, and stay empty when it was not understood", async () => {
    const socket = await collectFrames(`${t.url.replace('http', 'ws')}/agent/api/socket`, { authorization: `Bearer ${ANA.token}` });
    const id = await handOver(t, 'suggest-1');
    expect((await call(t.url, ANA.token, 'GET', `/agent/api/handoffs/${id}/suggestions`)).json.question).toBe('human');

    await say(t.url, 'suggest-1', 'q1', { text: 'can I return my headphones?' });
    const first = await call(t.url, ANA.token, 'GET', `/agent/api/handoffs/${id}/suggestions`);
    expect(first.json.question).toBe('can I return my headphones?');
    expect(first.json.suggestions.map((s: { title: string }) => s.title)).toEqual(['Return policy']);
    expectReadable(first.json.suggestions);
    expect(JSON.stringify(first.json)).not.toMatch(/score|confidence/i);
    const pushed = await eventually(async () => socket.frames.find((f) => f.type === 'suggestions' && f.question === 'can I return my headphones?'));
    expect(pushed.suggestions).toEqual(first.json.suggestions);

    await say(t.url, 'suggest-1', 'q2', { text: 'my Wave 700 headphones will not pair with my phone' });
    const second = await eventually(async () => socket.frames.find((f) => f.type === 'suggestions' && f.question === 'my Wave 700 headphones will not pair with my phone'));
    expect(second.suggestions[0].title).toBe('Pairing and resetting the Wave 700 ANC');
    expectReadable(second.suggestions);

    // Passages only loosely related (Refunds mentions delivery costs) are left out: the first is clearly the answer.
    await say(t.url, 'suggest-1', 'q2b', { text: 'how long does delivery take?' });
    const delivery = await eventually(async () => socket.frames.find((f) => f.type === 'suggestions' && f.question === 'how long does delivery take?'));
    expect(delivery.suggestions.map((s: { title: string }) => s.title)).toEqual(['Delivery times']);

    // A customer waiting for a person: nothing in the knowledge base answers that, however many words it shares.
    await say(t.url, 'suggest-1', 'q2c', { text: 'is anyone there?' });
    const waiting = await eventually(async () => socket.frames.find((f) => f.type === 'suggestions' && f.question === 'is anyone there?'));
    expect(waiting.suggestions).toEqual([]);

    await say(t.url, 'suggest-1', 'q3', { text: 'what is the capital of France' });
    const third = await eventually(async () => socket.frames.find((f) => f.type === 'suggestions' && f.question === 'what is the capital of France'));
    expect(third.suggestions).toEqual([]);
    expect((await call(t.url, BEN.token, 'GET', `/agent/api/handoffs/${id}/suggestions`)).status).toBe(404);
    socket.socket.close();
  });
});
