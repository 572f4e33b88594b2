import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../../src/kb/index.ts';
import type { FileKnowledgeBase } from '../../src/kb/knowledge-base.ts';
import { article, tempDir } from './support/kb-dir.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const faq = (entries: Array<{ id: string; title: string; answer: string; questions: string[] }>) => entries.map((e) => JSON.stringify(e)).join('\n');

async function base() {
  const { dir, cleanup } = await tempDir({
    'support/parking.md': article({ title: 'Parking', questions: ['Is there parking near the store?'] }, 'Paid parking is in the Markthal garage, 300 metres from the store.'),
    'products/halo-hub.md': article({ title: 'Halo Hub', questions: ['Does the Halo Hub work with Matter?'] }, 'The Halo Hub connects Zigbee, Thread and Matter devices.'),
    'faq.jsonl': faq([{ id: 'faq/gift-wrapping', title: 'Gift wrapping', answer: "We don't gift-wrap orders.", questions: ['Can you gift wrap my order?'] }]),
  });
  cleanups.push(cleanup);
  const kb = (await createKnowledgeBase({ dir, dataDir: dir, recordGaps: false })) as FileKnowledgeBase;
  cleanups.push(() => kb.close());
  return kb;
}

describe("a knowledge base with an editor's drafts over it", () => {
  it('answers from changed, new and unchanged files, and no longer from removed ones; the base itself is unchanged', async () => {
    const kb = await base();
    const drafted = await kb.withDrafts({
      'faq.jsonl': faq([{ id: 'faq/gift-wrapping', title: 'Gift wrapping', answer: 'We gift-wrap any order in recycled paper for 3 euros.', questions: ['Can you gift wrap my order?'] }]),
      'support/parking.md': null,
      'support/gift-cards.md': article({ title: 'Gift cards', questions: ['Do gift cards expire?'] }, 'Gift cards never expire.'),
    });
    expect((await drafted.answer('Can you gift wrap my order?')).answer).toContain('recycled paper');
    expect((await drafted.answer('Do gift cards expire?')).answer).toContain('never expire');
    expect((await drafted.answer('Does the Halo Hub work with Matter?')).sources).toEqual(['Halo Hub']);
    expect((await drafted.search('Is there parking near the store?')).hits.map((h) => h.title)).not.toContain('Parking');
    expect(drafted.stats()).toMatchObject({ files: 3, articles: 3 });

    expect((await kb.answer('Can you gift wrap my order?')).answer).toContain("don't gift-wrap");
    expect((await kb.answer('Is there parking near the store?')).sources).toEqual(['Parking']);
    expect(kb.stats()).toMatchObject({ files: 3, articles: 3 });
  });

  it("reports a draft's problems, and a draft taking another file's article id, at the draft", async () => {
    const kb = await base();
    const drafted = await kb.withDrafts({
      'support/broken.md': 'no front matter\n',
      'more.jsonl': faq([{ id: 'faq/gift-wrapping', title: 'Wrapping again', answer: 'Twice.', questions: [] }]),
    });
    expect(drafted.issues().map((i) => `${i.file.split('/').at(-1)}:${i.line} ${i.message.split(':')[0]}`)).toEqual([
      'broken.md:1 missing front matter',
      "more.jsonl:1 duplicate article id 'faq/gift-wrapping' in locale en (first in " + kb.snapshot().articles.find((a) => a.id === 'faq/gift-wrapping')!.file + ')',
    ]);
    expect((await drafted.answer('Can you gift wrap my order?')).sources).toEqual(['Gift wrapping']);
  });
});
