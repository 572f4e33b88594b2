import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import { Understander } from '../../src/understanding/understander.ts';
import { runRoute } from '../support/route-cli.ts';

const root = path.resolve(import.meta.dirname, '../..');
let flows: FlowSet;
let understander: Understander;

beforeAll(async () => {
  flows = await loadFlows(path.join(root, 'flows'));
  const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
  understander = new Understander({ minConfidence: 0.55, knowledge: () => ({ version: 'demo', articles }) });
});

const decide = async (text: string, locale = 'en') => (await understander.understand(flows, text, { locale })).decision;

describe('the understanding step on the demo shop', () => {
  it('lets a keyword decide alone only when the message is essentially that keyword', async () => {
    expect(await decide('menu')).toMatchObject({ kind: 'flow', flow: 'greeting', confidence: 1 });
    expect(await decide('agent please')).toMatchObject({ kind: 'flow', flow: 'human' });
    expect(await decide('can I talk to a real person')).toMatchObject({ kind: 'flow', flow: 'human' });
    // "warranty" is a keyword of the returns flow, but an article answers the question.
    expect(await decide('is the warranty still valid if I drop my phone')).toMatchObject({ kind: 'knowledge' });
  });

  it('answers a German question from the knowledge base, even in a conversation that started in English', async () => {
    const understood = await understander.understand(flows, 'wie lange hält der Akku der Wave 700', { locale: 'en' });
    expect(understood.language).toBe('de');
    expect(understood.decision).toMatchObject({ kind: 'knowledge', article: 'products/wave-700-anc' });
  });

  it('starts the flow that needs the value the message carries', async () => {
    expect(await decide('has bw 23456 shipped yet')).toMatchObject({ kind: 'flow', flow: 'order_status' });
    expect(await decide('status von BW-34567?', 'de')).toMatchObject({ kind: 'flow', flow: 'order_status' });
  });

  it('declines what it does not understand, keeping the closest candidates to offer', async () => {
    const understood = await understander.understand(flows, 'purple elephants dancing', { locale: 'en' });
    expect(understood.decision.kind).toBe('decline');
    expect(understood.decision.confidence).toBeLessThan(0.55);
    expect(understood.why).toMatch(/closest|nothing/);
  });

  it('does not quote a product article that never mentions what was asked, but offers it', async () => {
    // The knowledge base speaks of headphones (the Wave 700), the Nova X article does not: the name alone matched.
    const understood = await understander.understand(flows, 'does the nova x have a headphone jack', { locale: 'en' });
    expect(understood.decision.kind).toBe('decline');
    expect(understood.candidates[0]?.id).toBe('products/nova-x-5g');
    expect(understood.why).toMatch(/nova-x-5g is about what the message names, but mentions nowhere any of the 2 other words it asks with/);
    expect(understood.why).not.toMatch(/headphon|jack/);
    expect(await decide('how long does the nova x battery last')).toMatchObject({ kind: 'knowledge', article: 'products/nova-x-5g' });
  });

  it('answers from the article whose example question the message holds whole, not from the page of the product it names', async () => {
    // The warranty article lists "How long is the warranty?"; the Aero 14's page ranks first on the rare words of its name.
    for (const [text, locale] of [['how long is the warranty on the aero 14', 'en'], ['wie lange ist die garantie beim aero 14', 'de']] as const) {
      const understood = await understander.understand(flows, text, { locale });
      expect(understood.decision, text).toMatchObject({ kind: 'knowledge', article: 'warranty/warranty-coverage' });
      expect(understood.why, text).toMatch(/moved before products\/aero-14: the message holds one of warranty\/warranty-coverage's example questions whole/);
    }
    // A question about the product itself stays with its page.
    expect(await decide('wie schwer ist das aero 14', 'de')).toMatchObject({ kind: 'knowledge', article: 'products/aero-14' });
  });

  it("offers the articles about a product whose name alone is the message, however unsure", async () => {
    const understood = await understander.understand(flows, 'pulse mini', { locale: 'en' });
    expect(understood.decision).toMatchObject({ kind: 'decline', namesSubject: true });
    expect(understood.candidates.slice(0, 2).map((c) => c.id).sort()).toEqual(['guides/pulse-mini-troubleshooting', 'products/pulse-mini']);
    expect((await decide('purple elephants')).kind === 'decline' && 'namesSubject' in (await decide('purple elephants'))).toBe(false);
  });

  it('never reads a product name as a greeting with a typo', async () => {
    const decision = await decide('does the halo hub work with matter');
    expect(decision.kind === 'flow' && decision.flow === 'greeting').toBe(false);
  });
});

describe('a question asked again', () => {
  it('is decided as before while the flows and articles are the same, and afresh once the knowledge base changes', async () => {
    const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
    let knowledge = { version: 'demo', articles };
    const changing = new Understander({ minConfidence: 0.55, knowledge: () => knowledge });
    const question = 'how long does the nova x battery last';
    const first = await changing.understand(flows, question, { locale: 'en' });
    expect(first.decision).toMatchObject({ kind: 'knowledge', article: 'products/nova-x-5g' });
    expect(await changing.understand(flows, question, { locale: 'en' })).toEqual(first);
    // The Nova X article is taken out of the base: the same words no longer get its answer.
    knowledge = { version: 'demo without the nova x', articles: articles.filter((article) => article.id !== 'products/nova-x-5g') };
    const after = await changing.understand(flows, question, { locale: 'en' });
    expect(after.decision.kind === 'knowledge' && after.decision.article === 'products/nova-x-5g').toBe(false);
    expect(after.candidates.map((candidate) => candidate.id)).not.toContain('products/nova-x-5g');
  });

  it('is put to the chat model again each time', async () => {
    const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
    let asked = 0;
    const withModel = new Understander({
      minConfidence: 0.55, knowledge: () => ({ version: 'demo', articles }),
      chooser: async () => { asked++; return null; },
    });
    for (let i = 0; i < 2; i++) await withModel.understand(flows, 'how long does the nova x battery last', { locale: 'en' });
    expect(asked).toBe(2);
  });
});

describe('the index kept between runs', () => {
  it('is built once, then loaded while the flows and articles are unchanged, deciding the same', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-understanding-index-'));
    try {
      const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
      const make = () => new Understander({ minConfidence: 0.55, knowledge: () => ({ version: 'demo', articles }), indexDir: dir });
      const first = make();
      const built = await first.understand(flows, 'how long does the battery of the wave 700 last', { locale: 'en' });
      expect(first.indexLoaded).toBe(false);
      const second = make();
      const loaded = await second.understand(flows, 'how long does the battery of the wave 700 last', { locale: 'en' });
      expect(second.indexLoaded).toBe(true);
      expect(loaded.decision).toEqual(built.decision);
      expect(loaded.candidates).toEqual(built.candidates);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('words shared with a flow example', () => {
  it('count for the flow the ranker puts first, never against it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-evidence-'));
    const flow = (name: string, examples: string[]) =>
      writeFile(path.join(dir, `${name}.yaml`), [`flow: ${name}`, 'triggers:', '  examples:', ...examples.map((e) => `    - ${JSON.stringify(e)}`), 'steps:', '  - end: true', ''].join('\n'));
    await flow('top_up_by_card', ['how do I top up my card', 'top up using my debit card', 'can I add money with a credit card']);
    await flow('top_up_by_cash', ['can I add cash to my account', 'top up with cash at a shop', 'where can I pay in cash']);
    await flow('card_arrival', ['my new card has still not arrived', 'when will the card I ordered arrive']);
    try {
      const set = await loadFlows(dir);
      const step = new Understander({ minConfidence: 0.5 });
      // Three of its four words are in "how do I top up my card", but "cash" is what the customer asks about.
      const understood = await step.understand(set, 'top up my card with cash', { locale: 'en' });
      expect(understood.candidates[0]?.id).toBe('top_up_by_cash');
      expect(understood.decision).toMatchObject({ kind: 'flow', flow: 'top_up_by_cash' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('language detection', () => {
  it('tells English from German by the words, and says nothing for messages without telling words', () => {
    expect(detectLanguage('where is my order')).toBe('en');
    expect(detectLanguage('wo bleibt mein Paket')).toBe('de');
    expect(detectLanguage('ich moechte meine Kopfhoerer zurueckgeben')).toBe('de');
    expect(detectLanguage('BW-12345')).toBeUndefined();
    expect(detectLanguage('ok')).toBeUndefined();
  });
});

describe('parley route', () => {
  it('writes one JSON line per message, in order, with the decision and its candidates', async () => {
    const input = ['menu', JSON.stringify({ text: 'wie lange hält der Akku der Wave 700', locale: 'de' }), 'purple elephants dancing'].join('\n');
    const stdout = await runRoute([], `${input}\n`);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; flow: string | null; article: string | null; confidence: number; candidates: unknown[] });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ kind: 'flow', flow: 'greeting', article: null, confidence: 1 });
    expect(lines[1]).toMatchObject({ kind: 'knowledge', flow: null, article: 'products/wave-700-anc' });
    expect(lines[2]).toMatchObject({ kind: 'decline', flow: null, article: null });
    expect(lines[1]!.candidates.length).toBeGreaterThan(0);
  });
});
