import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase, DEFAULT_MIN_CONFIDENCE, type KnowledgeBase } from '../../src/kb/index.ts';
import { analyzerFor } from '../../src/search/text.ts';
import { demoKnowledge, tempDir, article } from './support/kb-dir.ts';

let kb: KnowledgeBase;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const data = await tempDir();
  cleanup = data.cleanup;
  kb = await createKnowledgeBase({ dir: demoKnowledge, dataDir: data.dir, recordGaps: false });
});
afterAll(async () => {
  await kb.close();
  await cleanup();
});

describe('the demo knowledge base answers realistic questions from the right article', () => {
  // None of these is an example question of its article, word for word.
  it.each([
    ['do the wave 700 block out noise on a plane?', ['products/wave-700-anc']],
    ['how many hours does the wave 700 battery last', ['products/wave-700-anc']],
    ['can the nova x take a micro sd card', ['products/nova-x-5g']],
    ['can I control the halo hub from google home', ['products/halo-hub']],
    ['do lumen bulbs work without the hub', ['products/lumen-starter-kit', 'faq/lumen-compatibility']],
    ['how long does shipping to germany take', ['shipping/delivery-times']],
    ['is delivery free if I spend 60 euros', ['shipping/delivery-costs']],
    ['when will I get my money back', ['returns/refunds', 'returns/return-policy']],
    ['my headphones stopped working after 8 months', ['warranty/making-a-warranty-claim']],
    ['I cracked the screen of my phone', ['warranty/repairs-outside-warranty']],
    ['what are your opening hours on saturday', ['support/contact-and-opening-hours']],
    ['where is your shop in rotterdam', ['support/visiting-the-store']],
    ['can I pay with klarna', ['orders/payment-methods']],
    ['I need an invoice for my company', ['orders/invoices-and-vat']],
    ['I forgot my password', ['account/your-account']],
    ['the parcel came damaged', ['shipping/damaged-or-missing-parcel']],
    ['can I cancel my order', ['orders/changing-or-cancelling']],
  ])('%s', async (question, expected) => {
    const answer = await kb.answer(question);
    expect(expected).toContain(answer.results[0]?.id);
    expect(answer.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
    expect(answer.answer).not.toBeNull();
    expect(answer.sources).toEqual([answer.results[0]!.title]);
  });

  it('tolerates typos', async () => {
    for (const [question, id] of [
      ['wave 700 headphnes batery', 'products/wave-700-anc'],
      ['is the pulse mini waterprof', 'products/pulse-mini'],
      ['what does the warrenty cover', 'warranty/warranty-coverage'],
    ] as const) {
      const answer = await kb.answer(question);
      expect(answer.results[0]?.id, question).toBe(id);
      expect(answer.answer, question).not.toBeNull();
    }
  });

  it('stems: other forms of a word find the same article', async () => {
    const analyzer = analyzerFor('en');
    expect(new Set(['returns', 'returning', 'returned', 'return'].map((w) => analyzer.term(w))).size).toBe(1);
    for (const question of ['returning headphones', 'returned headphones', 'headphone returns']) {
      expect((await kb.answer(question)).results[0]?.id, question).toBe('returns/return-policy');
    }
    expect((await kb.answer('deliveries to belgium')).results[0]?.id).toBe('shipping/delivery-times');
  });

  it('returns at least five results, one per article, best first', async () => {
    const { hits } = await kb.search('how long does delivery take', { limit: 8 });
    expect(hits.length).toBe(8);
    expect(new Set(hits.map((h) => h.id)).size).toBe(8);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });
});

describe('confidence: off-topic questions are declined', () => {
  it.each([
    'what is the capital of france',
    'tell me a joke',
    'how do I bake bread',
    'can you recommend a good movie',
    'do you sell playstation 5 consoles',
    "what's the weather in amsterdam",
    'asdfgh qwerty',
  ])('%s', async (question) => {
    const answer = await kb.answer(question);
    expect(answer.confidence).toBeLessThan(DEFAULT_MIN_CONFIDENCE);
    expect(answer.answer).toBeNull();
    expect(answer.sources).toEqual([]);
  });

  it('a question with no known word has confidence 0 and no results', async () => {
    const answer = await kb.answer('zxqv blorft');
    expect(answer).toMatchObject({ confidence: 0, answer: null, results: [] });
  });
});

describe('the demo knowledge base in German: a German question is answered from the German article, under the shared id', () => {
  // None of these is an example question of its article, word for word.
  it.each([
    ['Blenden die Wave 700 Kopfhörer Lärm im Flugzeug aus?', 'products/wave-700-anc', 'Wave 700 ANC Kopfhörer'],
    ['kann ich beim nova x eine speicherkarte reinstecken', 'products/nova-x-5g', 'Nova X 5G Smartphone'],
    ['wie lange dauert der versand nach deutschland', 'shipping/delivery-times', 'Lieferzeiten'],
    ['ich hab mein passwort vergessen', 'account/your-account', 'Ihr Brightwave-Kundenkonto'],
    ['kann ich mit klarna bezahlen', 'orders/payment-methods', 'Zahlungsarten'],
    ['mein paket kam beschädigt an', 'shipping/damaged-or-missing-parcel', 'Beschädigte oder fehlende Pakete'],
    ['funktionieren lumen lampen mit alexa', 'faq/lumen-compatibility', 'Lumen-Lampen mit anderen Systemen'],
  ])('%s', async (question, id, title) => {
    const answer = await kb.answer(question, { locale: 'de' });
    expect(answer.results[0]?.id).toBe(id);
    expect(answer.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
    expect(answer.sources).toEqual([title]);
  });

  it('the same article in English keeps its English title and text', async () => {
    const answer = await kb.answer('can I pay with klarna', { locale: 'en' });
    expect(answer.results[0]?.id).toBe('orders/payment-methods');
    expect(answer.sources).toEqual(['Payment methods']);
    expect(kb.stats().locales).toEqual({ en: 45, de: 45 });
  });
});

describe('an article in one language only', () => {
  it('answers a question in the other language through its product names, and says it is in English', async () => {
    const { dir, cleanup: done } = await tempDir({
      'halo.md': article({ title: 'Halo Hub', questions: ['Does the Halo Hub work with Matter?'] }, 'The Halo Hub is a Matter controller and a Thread border router.'),
      'delivery.md': article({ title: 'Delivery times' }, 'Orders placed before 22:00 arrive the next day.'),
      'delivery.de.md': article({ title: 'Lieferzeiten', locale: 'de' }, 'Bestellungen bis 22:00 Uhr kommen am nächsten Tag an.'),
    });
    const local = await createKnowledgeBase({ dir, dataDir: dir, recordGaps: false });
    try {
      const answer = await local.answer('Funktioniert der Halo Hub mit Matter?', { locale: 'de' });
      expect(answer.results[0]?.id).toBe('halo');
      expect(answer.answer).toBe('The Halo Hub is a Matter controller and a Thread border router. (Dieser Artikel ist nur auf Englisch verfügbar.)');
      expect((await local.answer('Wie sind die Lieferzeiten?', { locale: 'de' })).sources).toEqual(['Lieferzeiten']);
    } finally {
      await local.close();
      await done();
    }
  });
});

describe('locales', () => {
  it('answers from the articles in the asked language, and falls back to the default language', async () => {
    const { dir, cleanup: done } = await tempDir({
      'en.md': article({ title: 'Delivery times' }, 'Orders placed before 22:00 arrive the next day.'),
      'nl.md': article({ title: 'Levertijden', locale: 'nl' }, 'Bestellingen die voor 22:00 zijn geplaatst, worden de volgende dag bezorgd.'),
    });
    const local = await createKnowledgeBase({ dir, dataDir: dir, recordGaps: false });
    try {
      expect((await local.answer('wanneer wordt mijn bestelling bezorgd', { locale: 'nl-NL' })).results[0]?.id).toBe('nl');
      expect((await local.answer('when do orders arrive', { locale: 'en' })).results[0]?.id).toBe('en');
      expect((await local.answer('when do orders arrive', { locale: 'fr' })).results[0]?.id).toBe('en');
      expect(local.stats().locales).toEqual({ en: 1, nl: 1 });
    } finally {
      await local.close();
      await done();
    }
  });
});

describe('fewer matches than asked for', () => {
  it('go on with the articles sharing most tags with the first, then the others by id, each with score 0', async () => {
    const { dir, cleanup: done } = await tempDir({
      'zebra-care.md': article({ title: 'Zebra grooming', tags: ['animals', 'care'] }, 'Brush the stripes weekly.'),
      'b-lion.md': article({ title: 'Lion food', tags: ['animals'] }, 'Meat, mostly.'),
      'a-tiger.md': article({ title: 'Tiger naps', tags: ['animals', 'care'] }, 'Sixteen hours a day.'),
      'c-kettle.md': article({ title: 'Kettle descaling' }, 'Use vinegar.'),
      'd-spoon.md': article({ title: 'Spoon polish', tags: ['care'] }, 'A soft cloth.'),
      'b-fork.md': article({ title: 'Fork tines' }, 'Four of them.'),
    });
    const local = await createKnowledgeBase({ dir, dataDir: dir, recordGaps: false });
    try {
      const { hits } = await local.search('stripes', { limit: 5 });
      expect(hits.map((h) => h.id)).toEqual(['zebra-care', 'a-tiger', 'b-lion', 'd-spoon', 'b-fork']);
      expect(hits.slice(1).map((h) => h.score)).toEqual([0, 0, 0, 0]);
    } finally {
      await local.close();
      await done();
    }
  });
});
