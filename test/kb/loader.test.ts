import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/kb/index.ts';
import { splitSections, toPlainText } from '../../src/kb/markdown.ts';
import { article, tempDir } from './support/kb-dir.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Loads `files` and returns the problems as `relative/path:line message`. */
async function problems(files: Record<string, string>): Promise<string[]> {
  const { dir, cleanup } = await tempDir(files);
  cleanups.push(cleanup);
  const loaded = await loadKnowledge(dir);
  return loaded.issues.map((i) => `${path.relative(dir, i.file)}:${i.line} ${i.message}`);
}

describe('Markdown articles: every problem at its path:line', () => {
  it.each([
    ['no front matter', '# Hello\ntext', "a.md:1 missing front matter: start the file with '---', then title, questions, tags, locale in YAML, then '---'"],
    ['front matter not closed', '---\ntitle: A\n\ntext', "a.md:1 front matter is not closed: add a line '---' after it"],
    ['YAML mistake', '---\ntitle: A\nquestions: [one, two\n---\ntext', 'a.md:3 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['missing title', '---\ntags: [a]\n---\ntext', "a.md:1 missing required field 'title'"],
    ['unknown field', '---\ntitle: A\nquestons:\n  - q?\n---\ntext', "a.md:3 unknown field 'questons' (did you mean 'questions'? front matter fields: title, questions, tags, locale)"],
    ['unknown field, nothing like it', '---\ntitle: A\nsummary: short\n---\ntext', "a.md:3 unknown field 'summary' (front matter fields: title, questions, tags, locale)"],
    ['questions not a list', '---\ntitle: A\nquestions: what?\n---\ntext', "a.md:3 'questions' must be a list"],
    ['bad locale', '---\ntitle: A\nlocale: English\n---\ntext', "a.md:3 'locale' must be a language tag such as en or en-GB"],
    ['no text', '---\ntitle: A\n---\n\n', 'a.md:4 the article has no text after its front matter'],
  ])('%s', async (_name, source, expected) => {
    expect(await problems({ 'a.md': source })).toEqual([expected]);
  });

  it('leaves out the broken file and loads the rest', async () => {
    const { dir, cleanup } = await tempDir({ 'good.md': '---\ntitle: Good\n---\nFine text.', 'bad.md': 'no front matter' });
    cleanups.push(cleanup);
    const loaded = await loadKnowledge(dir);
    expect(loaded.articles.map((a) => a.id)).toEqual(['good']);
    expect(loaded.issues).toHaveLength(1);
    expect(loaded.files).toBe(2);
  });

  it('skips README.md, drafts starting with _ and hidden files', async () => {
    const { dir, cleanup } = await tempDir({
      'README.md': '# How to edit',
      '_draft.md': 'not ready',
      '.notes/x.md': 'notes',
      'sub/real.md': '---\ntitle: Real\n---\nText.',
    });
    cleanups.push(cleanup);
    const loaded = await loadKnowledge(dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.articles.map((a) => a.id)).toEqual(['sub/real']);
  });
});

describe('FAQ files (JSON Lines): every problem at its line', () => {
  it('reports bad lines and keeps the good ones', async () => {
    const lines = [
      '{"id": "a", "title": "A", "answer": "Yes.", "questions": ["A?"]}',
      '',
      '{"id": "b", "title": "B", "answer": "No."',
      '{"id": "c", "title": "C"}',
      '{"id": "d", "title": "D", "answer": "Maybe.", "question": ["D?"]}',
      '{"id": "a", "title": "A again", "answer": "Twice."}',
      '["not", "an", "object"]',
    ];
    const found = await problems({ 'faq.jsonl': lines.join('\n') });
    expect(found[0]).toMatch(/^faq\.jsonl:3 invalid JSON: /);
    expect(found.slice(1)).toEqual([
      "faq.jsonl:4 missing required field 'answer'",
      "faq.jsonl:5 unknown field 'question' (fields: id, title, answer, questions, tags, locale)",
      'faq.jsonl:7 each line must be one JSON object {"id", "title", "answer", "questions"?}',
      expect.stringMatching(/^faq\.jsonl:6 duplicate article id 'a' in locale en \(first in .*faq\.jsonl\)$/),
    ]);
  });

  it('trims what it keeps, and an empty or ill-formed field is still explained', async () => {
    const { dir, cleanup } = await tempDir({
      'faq.jsonl': [
        '{"id": " a ", "title": " A ", "answer": " Yes. ", "questions": [" A? "], "tags": [" t "], "locale": "en-GB"}',
        '{"id": "b", "title": "B", "answer": "   "}',
        '{"id": "c d", "title": "C", "answer": "No."}',
        '{"id": "e", "title": "E", "answer": "No.", "questions": ["E?", ""]}',
      ].join('\n'),
    });
    const loaded = await loadKnowledge(dir);
    await cleanup();
    expect(loaded.articles.map((a) => [a.id, a.title, a.questions, a.tags, a.locale, a.passages[0]!.text])).toEqual([['a', 'A', ['A?'], ['t'], 'en-GB', 'Yes.']]);
    expect(loaded.issues.map((i) => `${i.line} ${i.message}`)).toEqual([
      "2 'answer' must not be empty",
      "3 'id' may only hold letters, digits and . _ / -",
      "4 'questions.1' must not be empty",
    ]);
  });
});

describe('translations beside their original (<name>.<locale>.md, faq.<locale>.jsonl)', () => {
  const english = article({ title: 'Wave 700 ANC', questions: ['Is it waterproof?'] }, 'Intro.\n\n## Battery\n30 hours.');
  const german = article({ title: 'Wave 700 ANC', questions: ['Sind die Kopfhörer wasserdicht?'] }, 'Einleitung.\n\n## Akku\n30 Stunden.');

  async function load(files: Record<string, string>) {
    const { dir, cleanup } = await tempDir(files);
    cleanups.push(cleanup);
    return { dir, loaded: await loadKnowledge(dir) };
  }

  it('loads a German file with locale de and the original\'s id; the same id in en and de is no duplicate', async () => {
    const { loaded } = await load({ 'products/wave.md': english, 'products/wave.de.md': german });
    expect(loaded.issues).toEqual([]);
    expect(loaded.articles.map((a) => [a.id, a.locale, a.title])).toEqual([
      ['products/wave', 'de', 'Wave 700 ANC'],
      ['products/wave', 'en', 'Wave 700 ANC'],
    ]);
    const de = loaded.articles.find((a) => a.locale === 'de')!;
    expect(de.passages.map((p) => [p.id, p.articleId, p.locale, p.heading])).toEqual([
      ['products/wave@de#0', 'products/wave', 'de', null],
      ['products/wave@de#1', 'products/wave', 'de', 'Akku'],
    ]);
    expect(loaded.articles.find((a) => a.locale === 'en')!.passages.map((p) => p.id)).toEqual(['products/wave#0', 'products/wave#1']);
  });

  it('passage ids are unique across the demo knowledge base, English and German', async () => {
    const loaded = await loadKnowledge(path.resolve(import.meta.dirname, '../../knowledge'));
    const ids = loaded.articles.flatMap((a) => a.passages.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a translation without an original is an article in its language only', async () => {
    const { loaded } = await load({ 'only-german.de.md': german });
    expect(loaded.issues).toEqual([]);
    expect(loaded.articles.map((a) => [a.id, a.locale])).toEqual([['only-german', 'de']]);
  });

  it('a duplicate id within one locale is reported at path:line, across Markdown and FAQ files', async () => {
    const found = await problems({
      'wave.de.md': german,
      'wave.md': english,
      'faq.de.jsonl': '{"id": "gift", "title": "Geschenk", "answer": "Ja."}\n{"id": "wave", "title": "Wave", "answer": "Doppelt."}\n',
      'faq.jsonl': '{"id": "gift", "title": "Gift", "answer": "Yes."}\n',
    });
    expect(found).toEqual([expect.stringMatching(/^wave\.de\.md:6 duplicate article id 'wave' in locale de \(first in .*faq\.de\.jsonl\)$/)]);
  });

  it("a front matter or FAQ locale that disagrees with the file name is reported at its line; one that agrees is fine", async () => {
    const found = await problems({
      'a.de.md': article({ title: 'A', locale: 'en' }, 'Text.'),
      'b.de.md': article({ title: 'B', locale: 'de' }, 'Text.'),
      'faq.de.jsonl': '{"id": "x", "title": "X", "answer": "Ja.", "locale": "de"}\n{"id": "y", "title": "Y", "answer": "Yes.", "locale": "en"}\n',
    });
    expect(found).toEqual([
      "a.de.md:3 'locale' is en but the file name says de: leave the field out or make them agree",
      "faq.de.jsonl:2 'locale' is en but the file name says de: leave the field out or make them agree",
    ]);
  });

  it('a dotted name that is not a language stays part of the id', async () => {
    const { loaded } = await load({ 'notes.ok.md': article({ title: 'OK' }, 'Text.'), 'guide.en-GB.md': article({ title: 'Guide' }, 'Text.') });
    expect(loaded.articles.map((a) => [a.id, a.locale])).toEqual([['guide', 'en-GB'], ['notes.ok', 'en']]);
  });

  it('a file whose id is spelt like a translation\'s passages cannot take their ids', async () => {
    const found = await problems({ 'a.de.md': article({ title: 'A' }, 'Text.'), 'a@de.md': article({ title: 'A' }, 'Text.'), 'b.md': article({ title: 'B' }, 'Text.') });
    expect(found).toEqual([expect.stringMatching(/^a@de\.md:4 passage id 'a@de#0' is already used by .*a\.de\.md: rename the file$/)]);
  });
});

describe('passages', () => {
  it('splits at headings, with the heading path and the line each section starts on', () => {
    const body = ['Intro text.', '', '# Title again', '## Returns', '### Opened items', 'Complete and undamaged.', '## Refunds', '```', '## not a heading', '```', 'In 5 days.'].join('\n');
    const sections = splitSections(body, 10);
    expect(sections.map((s) => [s.heading, s.line, s.text])).toEqual([
      [null, 10, 'Intro text.'],
      ['Returns › Opened items', 14, 'Complete and undamaged.'],
      ['Refunds', 16, '## not a heading\nIn 5 days.'],
    ]);
  });

  it('turns Markdown into plain text an answer can quote', () => {
    expect(toPlainText('**Free** [returns](https://x.example/r), see `code` and *this*.\n* one\n* two')).toBe(
      'Free returns (https://x.example/r), see code and this.\n- one\n- two',
    );
  });

  it.each([
    ['  One plain line, pre-order ok!  ', 'One plain line, pre-order ok!'],
    ['- a bullet', '- a bullet'],
    ['---', ''],
    ['a_b_ and *c*', 'a_b_ and c'],
  ])('plain text of %j is %j', (markdown, text) => {
    expect(toPlainText(markdown)).toBe(text);
  });

  it('the demo knowledge base loads without problems: 30+ articles, FAQ entries included', async () => {
    const loaded = await loadKnowledge(path.resolve(import.meta.dirname, '../../knowledge'));
    expect(loaded.issues).toEqual([]);
    expect(loaded.articles.length).toBeGreaterThanOrEqual(30);
    expect(loaded.articles.some((a) => a.file.endsWith('.jsonl'))).toBe(true);
    expect(loaded.articles.find((a) => a.id === 'products/wave-700-anc')!.passages.length).toBeGreaterThan(3);
  });
});
