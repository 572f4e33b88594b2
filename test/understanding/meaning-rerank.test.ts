import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_INTENTS } from '../../src/built-in-intents.ts';
import { loadConfig } from '../../src/config.ts';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import type { Article } from '../../src/kb/types.ts';
import { offlineEncoder, UniversalSentenceEncoder, type SentenceEncoder } from '../../src/understanding/meaning/sentence-encoder.ts';
import { Understander } from '../../src/understanding/understander.ts';
import { headingTopics } from '../../src/understanding/meaning/rerank.ts';

const root = path.resolve(import.meta.dirname, '../..');
const encoder = new UniversalSentenceEncoder();
let flows: FlowSet;
let articles: Article[];

beforeAll(async () => {
  flows = await loadFlows(path.join(root, 'flows'));
  ({ articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' }));
});

const demo = (withEncoder: boolean) =>
  new Understander({ minConfidence: 0.5, knowledge: () => ({ version: 'demo', articles }), ...(withEncoder ? { encoder } : {}) });

describe('re-ranking by meaning with the offline sentence encoder', () => {
  it('gives two sentences that ask the same thing closer vectors than two that share words but not meaning', async () => {
    const [asked, same, other] = await encoder.encode(['how heavy are these headphones', 'what do the headphones weigh', 'how heavy is the headphone case shipping box']);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
    expect(dot(asked!, same!)).toBeGreaterThan(0.6);
    expect(Math.hypot(...asked!)).toBeCloseTo(1, 3);
    const [x, y] = await encoder.encode(['how heavy are these headphones', 'How heavy are these headphones  ']);
    expect(Array.from(x!)).toEqual(Array.from(y!));
    expect(dot(asked!, other!)).toBeLessThan(dot(asked!, same!));
  });

  it('answers a question about a product from the article that answers it, not from the product page its name ranks first', async () => {
    const question = 'how long is the warranty on the nova x';
    // The words alone: the warranty article's example question, held whole, moves it before the page; by meaning: closer.
    expect((await demo(false).understand(flows, question, { locale: 'en' })).decision).toMatchObject({ kind: 'knowledge', article: 'warranty/warranty-coverage' });
    const understood = await demo(true).understand(flows, question, { locale: 'en' });
    expect(understood.decision).toMatchObject({ kind: 'knowledge', article: 'warranty/warranty-coverage' });
    expect(understood.candidates[0]!.meaning).toBeGreaterThan(understood.candidates[1]!.meaning!);
  });

  it('starts the flow whose examples mean what the customer says in words none of them use', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-meaning-'));
    try {
      const flow = (name: string, examples: string[]) =>
        writeFile(path.join(dir, `${name}.yaml`), [`flow: ${name}`, 'triggers:', '  examples:', ...examples.map((e) => `    - ${JSON.stringify(e)}`), 'steps:', '  - end: true', ''].join('\n'));
      await flow('lost_card', ['I lost my card', 'my card was stolen', 'I cannot find my bank card anywhere']);
      await flow('card_arrival', ['when will my new card arrive', 'my card has not come yet', 'how long does card delivery take']);
      await flow('top_up', ['how do I add money to my account', 'top up by bank transfer', 'can I top up with cash']);
      const set = await loadFlows(dir);
      const byWords = new Understander({ minConfidence: 0.5 });
      const byMeaning = new Understander({ minConfidence: 0.5, encoder });
      for (const [message, meant] of [['someone pinched my wallet with the card inside', 'lost_card'], ['how can I load cash onto it', 'top_up']] as const) {
        expect((await byWords.understand(set, message, { locale: 'en' })).decision).not.toMatchObject({ kind: 'flow', flow: meant });
        expect((await byMeaning.understand(set, message, { locale: 'en' })).decision).toMatchObject({ kind: 'flow', flow: meant });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('declines a question about what the shop never speaks of, though one of its words is in an article', async () => {
    // Each shares a word with an article ("sell", "repair", "card") that the words alone and the meaning once answered
    // from; the rest of what is asked appears nowhere in the flows and articles, and nothing there is close in meaning.
    for (const question of ['do you sell vacuum cleaners', 'do you repair bicycles', 'do you have a loyalty card']) {
      const understood = await demo(true).understand(flows, question, { locale: 'en' });
      expect(understood.decision.kind, question).toBe('decline');
      expect(understood.unknown, question).toBeGreaterThanOrEqual(0.5);
      expect(understood.why).toMatch(/% of its words appear nowhere in the flows and articles/);
      expect(understood.candidates.length, question).toBeGreaterThan(0);
    }
    // A word the shop does not use, in a question an article answers (which ways to pay), is still answered.
    expect((await demo(true).understand(flows, 'can i pay with bitcoin', { locale: 'en' })).decision).toMatchObject({ kind: 'knowledge', article: 'orders/payment-methods' });
  });

  it('declines a question about a product that its article does not speak to, and answers one it does in other words', async () => {
    // The product's name puts its article first; what is asked beyond the name (a microphone, a colour, staff) is
    // nothing the article says, by words or by meaning.
    for (const question of ['does the pulse mini have a built in microphone', 'what colour is the aero 14', 'are you looking for staff at the rotterdam store']) {
      const understood = await demo(true).understand(flows, question, { locale: 'en' });
      expect(understood.decision.kind, question).toBe('decline');
      expect(understood.why, question).toMatch(/closeness by meaning of what the message asks beyond .*'s subject/);
      // `--debug` shows every step that moved the confidence, the words the article never mentions among them.
      expect(understood.why, question).toMatch(/lowered from [\d.]+: .* mentions nowhere .*; then from [\d.]+ with the closeness/);
      // What there is about what it names is offered, however low the confidence.
      expect(understood.decision, question).toMatchObject({ namesSubject: true });
    }
    // Beyond the name, "recharge" and "gadgets" are not the article's words but are close to what it says.
    for (const [question, article] of [['how quickly do the wave 700 recharge', 'products/wave-700-anc'], ['how many gadgets can the halo hub handle', 'products/halo-hub']] as const) {
      expect((await demo(true).understand(flows, question, { locale: 'en' })).decision, question).toMatchObject({ kind: 'knowledge', article });
    }
    // A message that only names the product is not judged by what it leaves unasked.
    expect((await demo(true).understand(flows, 'pulse mini', { locale: 'en' })).why).not.toMatch(/beyond .*'s subject/);
  });

  it('in German, which the encoder does not read, does not quote a product article for a word that nothing in the base uses', async () => {
    // "Webcam" appears nowhere: without a model of meaning it cannot be a paraphrase that is judged close.
    const understood = await demo(true).understand(flows, 'hat das aero 14 eine webcam', { locale: 'de' });
    expect(understood.decision).toMatchObject({ kind: 'decline', namesSubject: true });
    expect(understood.candidates[0]?.id).toBe('products/aero-14');
    expect((await demo(true).understand(flows, 'ist das aero 14 schwer', { locale: 'de' })).decision).toMatchObject({ kind: 'knowledge', article: 'products/aero-14' });
  });

  it('decides by the words alone while the sentence encoder fails, and by meaning again once it works', async () => {
    // What a server saw when the encoder's thread could not load its model: every encoding rejected.
    let failing = true;
    const flaky: SentenceEncoder = {
      language: 'en',
      encode: async (texts) => {
        if (failing) throw new Error("the sentence encoder failed: Backend 'wasm' has not yet been initialized");
        return encoder.encode(texts);
      },
    };
    const understander = new Understander({ minConfidence: 0.5, knowledge: () => ({ version: 'demo', articles }), encoder: flaky });
    const question = 'can i pay with paypal';
    const failed = await understander.understand(flows, question, { locale: 'en' });
    expect(failed.decision).toMatchObject({ kind: 'knowledge', article: 'orders/payment-methods' });
    expect(failed.why).toMatch(/the sentence encoder failed: the words alone/);
    failing = false;
    // The decision made without the encoder was not kept: the same question is weighed by meaning now.
    const again = await understander.understand(flows, question, { locale: 'en' });
    expect(again.decision).toMatchObject({ kind: 'knowledge', article: 'orders/payment-methods' });
    expect(again.why).toMatch(/re-ranked by meaning/);
  });

  it('compares the topics a heading lists one by one: "is it waterproof" finds "SIM, networks and water resistance"', async () => {
    expect(headingTopics('SIM, networks and water resistance')).toEqual(['SIM', 'networks', 'water resistance']);
    expect(headingTopics('Battery and charging')).toEqual(['Battery', 'charging']);
    expect(headingTopics('Factory reset')).toEqual([]);
    // The Nova X's article says "rated IP68 against water and dust" under that heading, never "waterproof".
    expect((await demo(true).understand(flows, 'is the nova x waterproof', { locale: 'en' })).decision).toMatchObject({ kind: 'knowledge', article: 'products/nova-x-5g' });
  });

  it('encodes on a thread of its own, so the process goes on with other work meanwhile', async () => {
    const fresh = new UniversalSentenceEncoder();
    await fresh.encode(['the model is loaded before what is counted']);
    let turns = 0;
    let done = false;
    const spin = () => {
      turns += 1;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const texts = Array.from({ length: 96 }, (_, i) => `question number ${i} about the battery of the wave 700`);
    const vectors = await fresh.encode(texts);
    done = true;
    expect(vectors).toHaveLength(96);
    expect(fresh.encodedByModel).toBe(97);
    // On the calling thread the event loop would not turn while the model runs (twice, a batch of 64 and one of 32).
    expect(turns).toBeGreaterThan(50);
  });

  it('compares a message with a typo by the word it meant', async () => {
    const understood = await demo(true).understand(flows, 'how long is the warrenty on the nova x', { locale: 'en' });
    const correct = await demo(true).understand(flows, 'how long is the warranty on the nova x', { locale: 'en' });
    const closeness = (u: typeof correct, id: string) => u.candidates.find((c) => c.id === id)?.meaning;
    expect(closeness(understood, 'warranty/warranty-coverage')).toBe(closeness(correct, 'warranty/warranty-coverage'));
  });

  it('keeps the vectors of the flows and articles between runs: a restart encodes nothing it encoded before', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-vectors-'));
    const vectorsFile = path.join(dir, 'understanding', 'sentence-vectors.bin');
    // Two articles and one flow: enough to see what is encoded, small enough to encode in seconds.
    const some = articles.filter((a) => ['warranty/warranty-coverage', 'products/nova-x-5g'].includes(a.id));
    await writeFile(path.join(dir, 'greeting.yaml'), ['flow: greeting', 'triggers:', '  keywords: [hello]', '  examples:', '    - good morning', 'steps:', '  - end: true', ''].join('\n'));
    const few = await loadFlows(dir);
    const started = (fresh: UniversalSentenceEncoder) => new Understander({ minConfidence: 0.5, knowledge: () => ({ version: 'some', articles: some }), encoder: fresh, vectorsFile });
    try {
      const first = new UniversalSentenceEncoder();
      await started(first).prepare(few);
      expect(first.encodedByModel).toBeGreaterThan(10);
      const { size } = await stat(vectorsFile);
      expect(size).toBeGreaterThan(first.encodedByModel * 512 * 4);

      const second = new UniversalSentenceEncoder();
      await started(second).prepare(few);
      expect(second.encodedByModel).toBe(0);
      // Restored vectors decide as encoded ones do, and a customer's message is encoded, never written to the file.
      const question = 'how long is the warranty on the nova x';
      expect((await started(second).understand(few, question, { locale: 'en' })).decision).toMatchObject({ kind: 'knowledge', article: 'warranty/warranty-coverage' });
      // The message, and what it asks beyond the first article's subject ("how long is the on the nova x").
      expect(second.encodedByModel).toBe(2);
      expect((await readFile(vectorsFile)).includes(Buffer.from(question))).toBe(false);

      // A file cut short (a disk that filled up) or of another kind is not read: the texts are encoded again and kept.
      await writeFile(vectorsFile, (await readFile(vectorsFile)).subarray(0, 1000));
      const third = new UniversalSentenceEncoder();
      expect(await third.restore(vectorsFile)).toBe(0);
      await started(third).prepare(few);
      expect(third.encodedByModel).toBe(first.encodedByModel);
      expect((await stat(vectorsFile)).size).toBe(size);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a German message to the words: the encoder only knows English', async () => {
    const understood = await demo(true).understand(flows, 'wie lange hält der Akku der Wave 700', { locale: 'de' });
    expect(understood.decision).toMatchObject({ kind: 'knowledge', article: 'products/wave-700-anc' });
    expect(understood.candidates.every((c) => c.meaning === undefined)).toBe(true);
  });

  it('is on by default and off with UNDERSTANDING_ENCODER=false', () => {
    expect(loadConfig({}, root).understandingEncoder).toBe(true);
    expect(loadConfig({ UNDERSTANDING_ENCODER: 'false' }, root).understandingEncoder).toBe(false);
    expect(offlineEncoder(false)).toBeUndefined();
    expect(offlineEncoder(true)).toBe(offlineEncoder(true));
  });
});


describe('German messages, which the English encoder does not read', () => {
  const withRequests = () => new Understander({ minConfidence: 0.5, knowledge: () => ({ version: 'demo', articles }), encoder, intents: BUILT_IN_INTENTS });

  it('does not quote a product article for a feature nothing in the shop speaks of, but offers it', async () => {
    const understood = await withRequests().understand(flows, 'hat der aero 14 einen touchscreen', { locale: 'de' });
    expect(understood.decision.kind).toBe('decline');
    expect(understood.candidates[0]?.id).toBe('products/aero-14');
    expect(understood.why).toMatch(/50 % of its words appear nowhere/);
    expect(understood.why).not.toMatch(/touchscreen/);
    expect((await withRequests().understand(flows, 'wie schwer ist das aero 14', { locale: 'de' })).decision).toMatchObject({ kind: 'knowledge', article: 'products/aero-14' });
  });

  it('does not hand "are you hiring" to a person for the word "Mitarbeiter", and still does when one is asked for', async () => {
    const hiring = await withRequests().understand(flows, 'sucht ihr mitarbeiter', { locale: 'de' });
    expect(hiring.intent).toBeUndefined();
    expect(hiring.decision.kind).toBe('decline');
    const asked = await withRequests().understand(flows, 'ich möchte mit einem mitarbeiter sprechen', { locale: 'de' });
    expect(asked.intent?.name).toBe('person');
  });

  it('reads "euer" as the function word it is, not as a word the shop never uses', async () => {
    const understood = await withRequests().understand(flows, 'wo ist euer laden', { locale: 'de' });
    expect(understood.decision).toMatchObject({ kind: 'flow', flow: 'contact' });
    expect(understood.unknown ?? 0).toBe(0);
  });
});
