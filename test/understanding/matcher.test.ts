import { describe, expect, it } from 'vitest';
import { Matcher, type MatchDoc } from '../../src/search/matcher/index.ts';
import { Bm25 } from '../../src/search/matcher/bm25.ts';
import { CANDIDATES, COMPARE_ALL } from '../../src/search/matcher/language-index.ts';

const docs: MatchDoc[] = [
  {
    id: 'flow:returns',
    locale: 'en',
    fields: [
      { kind: 'description', text: 'Our 30-day returns, and what to do for unopened, opened or defective items.' },
      { kind: 'keyword', text: 'refund' },
      { kind: 'example', text: 'I want to return my headphones' },
      { kind: 'example', text: 'can I send my speaker back' },
      { kind: 'example', text: 'my laptop stopped working' },
    ],
  },
  {
    id: 'flow:greeting',
    locale: 'en',
    fields: [
      { kind: 'keyword', text: 'hello' },
      { kind: 'keyword', text: 'hi' },
      { kind: 'example', text: 'good morning' },
    ],
  },
  {
    id: 'article:products/halo-hub',
    locale: 'en',
    fields: [
      { kind: 'title', text: 'Halo Hub smart home hub' },
      { kind: 'question', text: 'Does the Halo Hub work with Thread and Matter?' },
      { kind: 'text', text: 'The Halo Hub connects Zigbee, Thread and Matter devices and runs your routines offline.' },
    ],
  },
  {
    id: 'article:products/wave-700',
    locale: 'en',
    fields: [
      { kind: 'title', text: 'Wave 700 noise-cancelling headphones' },
      { kind: 'heading', text: 'Battery' },
      { kind: 'text', text: 'The battery lasts 30 hours with noise cancelling on; ten minutes of charging give three hours.' },
    ],
  },
  {
    id: 'article:returns/return-policy',
    locale: 'de',
    fields: [
      { kind: 'title', text: 'Rückgabe und Rücksendung' },
      { kind: 'question', text: 'Wie funktioniert die Rücksendung?' },
      { kind: 'text', text: 'Sie können Artikel innerhalb von 30 Tagen zurückschicken. Die Rücksendung ist kostenlos.' },
    ],
  },
  {
    id: 'article:products/wave-700',
    locale: 'de',
    fields: [
      { kind: 'title', text: 'Wave 700 Kopfhörer mit Geräuschunterdrückung' },
      { kind: 'heading', text: 'Akku' },
      { kind: 'text', text: 'Der Akku hält 30 Stunden mit Geräuschunterdrückung.' },
    ],
  },
];

const matcher = Matcher.build(docs);
const top = (query: string, locale = 'en') => matcher.rank(query, { locale, limit: 3 })[0]?.id;

describe('matcher', () => {
  it('finds a flow from a paraphrase of its examples', () => {
    expect(top('how do I send back the headphones I bought')).toBe('flow:returns');
    expect(top('how long does the battery last on the wave 700')).toBe('article:products/wave-700');
  });

  it('finds the document through a typo of one of its words', () => {
    expect(top('i want to retrun my headphnes')).toBe('flow:returns');
    expect(top('does the halo hub support thred')).toBe('article:products/halo-hub');
  });

  it('never corrects a word the documents contain: a product name one letter from a greeting stays the product', () => {
    expect(top('halo')).toBe('article:products/halo-hub');
    expect(top('helo')).toBe('flow:greeting');
  });

  it('reads a word written as one where the documents write two', () => {
    // "noise-cancelling" in the title; the customer writes it as one word, and German joins words with a linking "s".
    expect(matcher.rank('noisecancelling headphones', { locale: 'en', limit: 1 })[0]).toMatchObject({ id: 'article:products/wave-700', coverage: 1 });
    expect(matcher.rank('akkustunden', { locale: 'de', limit: 1 })[0]).toMatchObject({ id: 'article:products/wave-700', coverage: 1 });
  });

  it('tells which share of a question\'s words no document uses, typos, compounds, numbers and function words aside', () => {
    expect(matcher.unknownShare('does the halo hub work with thread', 'en')).toBe(0);
    // "support" appears nowhere; "thred" is a typo of "thread".
    expect(matcher.unknownShare('is there thred support on the halo hub', 'en')).toBe(0.25);
    // "noisecancelling" is read as the title's two words; only "euro" is unknown.
    expect(matcher.unknownShare('noisecancelling headphones for 30 euro', 'en')).toBe(0.25);
    expect(matcher.unknownShare('what is the capital of france', 'en')).toBe(1);
    expect(matcher.unknownShare('hält der akku 30 stunden', 'de')).toBe(0);
    expect(matcher.unknownShare('the', 'en')).toBe(0);
  });

  it('never corrects a word whose stem the documents use, though they write it in another form', () => {
    const shop = Matcher.build([
      { id: 'article:shipping', locale: 'en', fields: [{ kind: 'title', text: 'Shipping' }, { kind: 'text', text: 'We ship to every EU country.' }] },
      { id: 'article:speaker', locale: 'en', fields: [{ kind: 'title', text: 'Pulse Mini' }, { kind: 'text', text: 'Skipped tracks? Update the firmware.' }] },
    ]);
    // "shipped" is one letter from "skipped", but it is "ship" as the shipping article writes it.
    expect(shop.tokens('has my order shipped', 'en')).toEqual(['has', 'my', 'order', 'shipped']);
    expect(shop.rank('has my order shipped', { locale: 'en', limit: 1 })[0]?.id).toBe('article:shipping');
  });

  it('never corrects a common word of the language into one of the documents, and still corrects a typo', () => {
    const shop = Matcher.build([
      { id: 'article:returns', locale: 'en', fields: [{ kind: 'title', text: 'Sending it back' }, { kind: 'text', text: 'Pack it and send it back within 30 days.' }] },
      { id: 'article:phone', locale: 'en', fields: [{ kind: 'title', text: 'Nova X' }, { kind: 'text', text: 'A 6.1 inch screen and a 4,500 mAh battery.' }] },
      { id: 'article:miete', locale: 'de', fields: [{ kind: 'title', text: 'Angebote' }, { kind: 'text', text: 'Wir bieten Rabatte für Firmen.' }] },
    ]);
    // "jack" is one letter from "back" and "pack"; it is the headphone jack the customer asks about.
    expect(shop.tokens('does the nova x have a headphone jack', 'en')).toEqual(['does', 'the', 'nova', 'x', 'have', 'a', 'headphone', 'jack']);
    expect(shop.tokens('how big is the screeen', 'en')).toContain('screen');
    // German has no list of its words here: a correction keeps the first letter ("mieten" is not "bieten"; "biten" is).
    expect(shop.tokens('kann ich einen laptop mieten', 'de')).toContain('mieten');
    expect(shop.tokens('was biten sie an', 'de')).toContain('bieten');
  });

  it('reads a German separable verb as the word the documents write whole, only where they write it', () => {
    // "schicke … zurück" is the article's "zurückschicken"; unjoined, "zurück" alone meets nothing.
    expect(matcher.tokens('ich schicke den artikel zurück', 'de')).toEqual(['ich', 'zuruckschicke', 'den', 'artikel']);
    expect(matcher.rank('ich schicke den artikel zurück', { locale: 'de', limit: 1 })[0]).toMatchObject({ id: 'article:returns/return-policy', coverage: 1 });
    // A particle that is a preposition here, and a verb the documents never write whole, stay as written.
    expect(matcher.tokens('kann ich das an eine packstation schicken', 'de')).toContain('an');
    expect(matcher.tokens('ich gebe die kopfhörer ab', 'de')).toEqual(['ich', 'gebe', 'die', 'kopfhorer', 'ab']);
  });

  it('stems German and meets only documents of the query language', () => {
    expect(top('wie funktionieren rücksendungen', 'de')).toBe('article:returns/return-policy');
    expect(top('wie lange hält der akku', 'de-DE')).toBe('article:products/wave-700');
    expect(matcher.rank('rücksendungen', { locale: 'en' }).map((s) => s.id)).not.toContain('article:returns/return-policy');
    expect(matcher.rank('battery', { locale: 'fr' })).toEqual([]);
  });

  it('scores in [0, 1], best first, higher for a close match than for a loose one, nothing for no overlap', () => {
    const ranked = matcher.rank('can I send my speaker back', { locale: 'en', limit: 10 });
    expect(ranked.length).toBeGreaterThan(0);
    for (const s of ranked) expect(s.score).toBeGreaterThanOrEqual(0), expect(s.score).toBeLessThanOrEqual(1);
    expect(ranked.map((s) => s.score)).toEqual([...ranked.map((s) => s.score)].sort((a, b) => b - a));
    const loose = matcher.rank('can I send my speaker to a friend', { locale: 'en' })[0]!;
    expect(ranked[0]!.score).toBeGreaterThan(loose.score);
    expect(matcher.rank('xqzv', { locale: 'en' })).toEqual([]);
    expect(matcher.rank('', { locale: 'en' })).toEqual([]);
  });

  it('gives the same ranking every time, equal scores ordered by id', () => {
    const again = Matcher.build([...docs].reverse());
    const query = 'headphones battery return';
    expect(again.rank(query, { locale: 'en' })).toEqual(matcher.rank(query, { locale: 'en' }));
    const twins = Matcher.build([
      { id: 'b', locale: 'en', fields: [{ kind: 'example', text: 'track my parcel' }] },
      { id: 'a', locale: 'en', fields: [{ kind: 'example', text: 'track my parcel' }] },
    ]);
    expect(twins.rank('track parcel', { locale: 'en' }).map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('limits the list', () => {
    expect(matcher.rank('headphones battery return hub', { locale: 'en', limit: 2 })).toHaveLength(2);
  });

  it('in a base larger than the candidates it compares gram by gram, still finds the document, typos included', () => {
    const topics = ['battery', 'delivery', 'invoice', 'warranty', 'screen', 'speaker', 'password', 'refund'];
    const filler: MatchDoc[] = Array.from({ length: COMPARE_ALL + 500 }, (_, i) => ({
      id: `article:filler-${i}`,
      locale: 'en',
      fields: [
        { kind: 'title', text: `Model ${i} ${topics[i % topics.length]} guide` },
        { kind: 'text', text: `The ${topics[(i * 3) % topics.length]} of model ${i} and its ${topics[(i * 5) % topics.length]}.` },
      ],
    }));
    const large = Matcher.build([...filler, ...docs]);
    expect(large.rank('does the halo hub work with matter', { locale: 'en', limit: 1 })[0]?.id).toBe('article:products/halo-hub');
    expect(large.rank('does the halo hub support thred', { locale: 'en', limit: 1 })[0]?.id).toBe('article:products/halo-hub');
    expect(large.rank('model 1234 warranty guide', { locale: 'en', limit: 1 })[0]?.id).toBe('article:filler-1234');
    // A word every filler document has: only the best CANDIDATES of them are compared gram by gram.
    expect(large.features('model guide', 'en')).toHaveLength(CANDIDATES);
  });
});

describe('BM25 top documents (early termination)', () => {
  it('are exactly the ones scoring every document would rank first, common words included', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const vocabulary = Array.from({ length: 60 }, (_, i) => `w${i}`);
    // Zipf-like: w0 is in nearly every document, w59 in few.
    const word = () => vocabulary[Math.floor(vocabulary.length * rand() ** 3)]!;
    const docs = Array.from({ length: 3_000 }, () => Array.from({ length: 5 + Math.floor(rand() * 30) }, () => [word(), rand() < 0.2 ? 3 : 1] as [string, number]));
    const bm25 = Bm25.build(docs, { k1: 1.2, b: 0.75 });
    for (const query of [['w0', 'w1'], ['w0', 'w30', 'w59'], ['w2', 'w5', 'w9', 'w14'], ['w0', 'unknown'], ['w40']]) {
      const terms = query.map((t, i) => [t, i === 2 ? 0.5 : 1] as const);
      const scores = new Float64Array(docs.length);
      const coverage = new Float64Array(docs.length);
      bm25.score(terms, scores, coverage);
      const expected = [...scores.keys()].filter((d) => scores[d]! > 0).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, 50).sort((a, b) => a - b);
      const top = bm25.top(terms, 50);
      expect([...top.docs]).toEqual(expected);
      top.docs.forEach((d, i) => {
        expect(top.scores[i]).toBeCloseTo(scores[d]!, 12);
        expect(top.coverage[i]).toBeCloseTo(coverage[d]!, 12);
      });
    }
  });
});
