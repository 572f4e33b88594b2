import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passageFields } from '../../src/kb/passage-fields.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { LayeredMatcher, Matcher, type MatchDoc } from '../../src/search/matcher/index.ts';

const demo = await loadKnowledge(path.resolve(import.meta.dirname, '../../knowledge'));
const docsOf = (articles: typeof demo.articles): MatchDoc[] =>
  articles.flatMap((a) => a.passages.map((p) => ({ id: `${p.id}`, locale: a.locale, fields: passageFields(p) })));
const baseDocs = docsOf(demo.articles);
const base = Matcher.build(baseDocs);

/** The demo's articles with the English contact article rewritten as an editor's draft would, one removed and one added. */
function drafted(): MatchDoc[] {
  const docs = baseDocs
    .filter((d) => !d.id.startsWith('returns/exchanges'))
    .map((d) => d.id.startsWith('support/contact-and-opening-hours#')
      ? { ...d, fields: d.fields.map((f) => (f.kind === 'text' ? { ...f, text: `${f.text} Our parrot Coco greets visitors at the counter.` } : f)) }
      : d);
  docs.push({ id: 'support/gift-wrapping#0', locale: 'en', fields: [
    { kind: 'title', text: 'Gift wrapping' }, { kind: 'question', text: 'Can you gift wrap my order?' },
    { kind: 'text', text: 'We wrap any order in recycled paper with a handwritten card for 3 euros.' },
  ] });
  return docs;
}

const questions = [
  'when are you open?', 'can you gift wrap my order', 'giftwrap please', 'who greets visitors, a parrot?', 'how do I return my headphones',
  'what is your phone number', 'does the halo hub work with matter', 'wie lange hält der akku vom aero 14', 'wo ist euer laden',
];

describe('a layer of changed documents over a built matcher', () => {
  it('ranks as one matcher built from every document does: the same order, scores within 0.03 (removed documents still count in its statistics, as deleted ones do in a search engine until it merges)', () => {
    const docs = drafted();
    const layered = LayeredMatcher.over(base, baseDocs, docs);
    expect(layered).toBeInstanceOf(LayeredMatcher);
    const whole = Matcher.build(docs);
    for (const question of questions) {
      for (const locale of ['en', 'de']) {
        const expected = whole.rank(question, { locale, limit: 5 });
        const got = layered.rank(question, { locale, limit: 5 });
        // Matches with nothing in common (coverage 0) tie at the floor; their order means nothing.
        const meaningful = (list: typeof got) => list.filter((s) => s.coverage > 0).slice(0, 3).map((s) => s.id);
        expect(meaningful(got), `${question} (${locale})`).toEqual(meaningful(expected));
        got.forEach((s, i) => { if (expected[i]?.id === s.id) expect(Math.abs(s.score - expected[i]!.score), `${question}: ${s.id}`).toBeLessThan(0.03); });
      }
    }
  });

  it('finds an added document, its changed words, and nothing of a removed one', () => {
    const layered = LayeredMatcher.over(base, baseDocs, drafted());
    expect(layered.rank('can you gift wrap my order', { locale: 'en' })[0]?.id).toBe('support/gift-wrapping#0');
    expect(layered.rank('who greets visitors, a parrot?', { locale: 'en' })[0]?.id).toMatch(/^support\/contact-and-opening-hours#/);
    expect(layered.rank('can I exchange my headphones for another colour', { locale: 'en', limit: 50 }).some((s) => s.id.startsWith('returns/exchanges'))).toBe(false);
    expect(base.rank('can I exchange my headphones for another colour', { locale: 'en' })[0]?.id).toMatch(/^returns\/exchanges/);
  });

  it('knows the words of the layer and of the base: what a draft adds is no longer unknown', () => {
    const layered = LayeredMatcher.over(base, baseDocs, drafted()) as LayeredMatcher;
    expect(base.unknownShare('does your parrot coco bite', 'en')).toBe(1);
    expect(layered.unknownShare('does your parrot coco bite', 'en')).toBeCloseTo(1 / 3, 5);
    expect(layered.unknownShare('when are you open', 'en')).toBe(0);
    expect(layered.vocabularySize('en')).toBeGreaterThan(base.vocabularySize('en'));
    expect(layered.tokens('wen are you opn', 'en')).toEqual(base.tokens('wen are you opn', 'en'));
  });

  it('is the base itself when nothing changed, and a whole new matcher when much did', () => {
    expect(LayeredMatcher.over(base, baseDocs, [...baseDocs])).toBe(base);
    expect(LayeredMatcher.over(base, baseDocs, baseDocs.slice(0, 10))).toBeInstanceOf(Matcher);
  });
});
