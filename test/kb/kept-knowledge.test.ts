import { readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKeptKnowledge } from '../../src/kb/kept-knowledge.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { article, tempDir } from './support/kb-dir.ts';

const DELIVERY = article({ title: 'Delivery times', questions: ['When will my order arrive?'], tags: ['orders'] }, 'Orders placed before 22:00 are delivered the next day.\n\n## Abroad\n\nFive days.');
const FAQ = ['{"id":"gift","title":"Gift cards","answer":"From 10 to 200 euros.","questions":["Do you sell vouchers?"]}', '{"id":"bad","title":""}', '{"id":"hours","title":"Opening hours","answer":"**9** to 5."}'].join('\n');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function knowledgeAndData(files: Record<string, string>) {
  const knowledge = await tempDir(files);
  const data = await tempDir();
  cleanups.push(knowledge.cleanup, data.cleanup);
  return { dir: knowledge.dir, keep: path.join(data.dir, 'kb', 'index') };
}

describe('the knowledge kept between loads', () => {
  it('gives the same articles and problems as reading every file, without parsing a file that did not change', async () => {
    const { dir, keep } = await knowledgeAndData({
      'delivery.md': DELIVERY,
      'faq.jsonl': FAQ,
      'faq.de.jsonl': '{"id":"gift","title":"Gutscheine","answer":"Von 10 bis 200 Euro."}',
      'more.jsonl': '{"id":"hours","title":"Hours again","answer":"A second entry with a taken id."}',
    });
    const expected = await loadKnowledge(dir);
    expect(expected.issues.map((i) => i.message).join('\n')).toContain("duplicate article id 'hours'");

    const first = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });
    expect(first.parsed).toBe(4);
    expect(first.loaded).toEqual(expected);

    const second = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });
    expect(second.read).toBe(0);
    expect(second.parsed).toBe(0);
    expect(second.loaded).toEqual(expected);
    expect(second.key).toBe(first.key);
  });

  it('reads a changed, added or removed file again, even one of the same size and modification time', async () => {
    const { dir, keep } = await knowledgeAndData({ 'delivery.md': DELIVERY, 'faq.jsonl': FAQ });
    const first = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });

    const faq = path.join(dir, 'faq.jsonl');
    const before = await stat(faq);
    const changed = FAQ.replace('Gift cards', 'Gift vouch');
    expect(changed.length).toBe(FAQ.length);
    // Past the file system's clock tick, so that the write's change time differs from the creation's.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(faq, changed);
    // As a copy that keeps times would: the same size and modification time, only the change time tells.
    await utimes(faq, before.atime, before.mtime);
    await writeFile(path.join(dir, 'returns.md'), article({ title: 'Returns' }, 'Within 30 days.'));
    await rm(path.join(dir, 'delivery.md'));

    const second = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });
    expect(second.parsed).toBe(2);
    expect(second.loaded).toEqual(await loadKnowledge(dir));
    expect(second.loaded.articles.map((a) => a.title).sort()).toEqual(['Gift vouch', 'Opening hours', 'Returns']);
    expect(second.key).not.toBe(first.key);
  });

  it('hashes a file again while it changed too recently to trust its times, and parses it only when its content differs', async () => {
    const { dir, keep } = await knowledgeAndData({ 'delivery.md': DELIVERY });
    await loadKeptKnowledge(dir, 'en', keep);
    const again = await loadKeptKnowledge(dir, 'en', keep);
    expect(again.read).toBe(1);
    expect(again.parsed).toBe(0);
  });

  it("another folder with mostly the same files (the next release's) parses only the changed file, its articles naming the new folder", async () => {
    const { dir, keep } = await knowledgeAndData({ 'delivery.md': DELIVERY, 'faq.jsonl': FAQ });
    const first = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0, keptAs: 'served release' });
    const next = await tempDir({ 'delivery.md': DELIVERY, 'faq.jsonl': FAQ.replace('Gift cards', 'Gift vouchers') });
    cleanups.push(next.cleanup);

    const switched = await loadKeptKnowledge(next.dir, 'en', keep, { quietMs: 0, keptAs: 'served release', memory: first.memory });
    expect(switched.read).toBe(2);
    expect(switched.parsed).toBe(1);
    expect(switched.loaded).toEqual(await loadKnowledge(next.dir));

    // A restart on that folder reads what was kept under the same name: nothing parsed but the changed file.
    const restarted = await loadKeptKnowledge(next.dir, 'en', keep, { quietMs: 0, keptAs: 'served release' });
    expect(restarted.parsed).toBe(1);
    expect(restarted.loaded).toEqual(await loadKnowledge(next.dir));
  });

  it('a switch that names the files the release left unchanged reads only the changed one, and gives what reading all would', async () => {
    const { dir, keep } = await knowledgeAndData({ 'delivery.md': DELIVERY, 'faq.jsonl': FAQ });
    const first = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0, keptAs: 'served release' });
    const next = await tempDir({ 'delivery.md': DELIVERY, 'faq.jsonl': FAQ.replace('Gift cards', 'Gift vouchers') });
    cleanups.push(next.cleanup);

    const switched = await loadKeptKnowledge(next.dir, 'en', keep, { quietMs: 0, keptAs: 'served release', memory: first.memory, unchanged: new Set(['delivery.md']) });
    expect(switched.read).toBe(1);
    expect(switched.parsed).toBe(1);
    expect(switched.loaded).toEqual(await loadKnowledge(next.dir));
    expect(switched.prints).toEqual((await loadKeptKnowledge(next.dir, 'en', undefined, { quietMs: 0 })).prints);
  });

  it('an unreadable kept file is read anew, never an error', async () => {
    const { dir, keep } = await knowledgeAndData({ 'delivery.md': DELIVERY });
    await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });
    for (const name of await readdir(keep)) await writeFile(path.join(keep, name), 'not kept knowledge');
    const again = await loadKeptKnowledge(dir, 'en', keep, { quietMs: 0 });
    expect(again.parsed).toBe(1);
    expect(again.loaded).toEqual(await loadKnowledge(dir));
  });
});
