import { mkdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.ts';
import { createKnowledgeBase, type KnowledgeBase } from '../../src/kb/index.ts';
import { until } from '../support/poll.ts';
import { article, tempDir } from './support/kb-dir.ts';

/**
 * The knowledge base follows its folder while Parley runs (KB_WATCH): plain saves, editors that save by writing a
 * temporary file and renaming it over the article, deletes and new folders, at the top and nested; and it keeps
 * following after a watcher error. Each step waits, by polling, until the bot's answer shows the change.
 */
describe('knowledge watching', () => {
  let kb: KnowledgeBase;
  let dir: string;
  let cleanup: () => Promise<void>;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir({ 'delivery.md': article({ title: 'Delivery', questions: ['When will my order arrive?'] }, 'Next day, before 22:00.') }));
    const logger = createLogger({ level: 'debug', redact: true, destination: new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }) });
    kb = await createKnowledgeBase({ dir, dataDir: dir, watch: true, logger });
  });
  afterAll(async () => {
    await kb?.close();
    await cleanup?.();
  });

  const GIFT = 'Do you sell gift cards?';
  const giftCards = (body: string) => article({ title: 'Gift cards', questions: [GIFT] }, body);
  const answerTo = async (question: string) => (await kb.answer(question, { recordGap: false })).answer;
  const answers = (question: string, expected: string | null, what: string) => until(() => answerTo(question), (answer) => answer === expected, what);
  /** How editors like vim and VS Code save: a temporary file beside it, renamed over the article. */
  const renameSave = async (file: string, content: string) => {
    await writeFile(`${file}.tmp~`, content);
    await rename(`${file}.tmp~`, file);
  };

  it.each([
    ['at the top', ''],
    ['in a nested folder', 'shop/cards'],
  ])('follows rename-saves, plain saves and deletes %s', async (_where, folder) => {
    // A new folder (or a new file at the top), saved by rename.
    const file = path.join(dir, folder, 'gift-cards.md');
    await mkdir(path.dirname(file), { recursive: true });
    await renameSave(file, giftCards('Gift cards of €25.'));
    await answers(GIFT, 'Gift cards of €25.', 'the new article');
    // Saved by rename again, then in place: each is seen (Node's own recursive watch lost the file after a rename).
    await renameSave(file, giftCards('Gift cards of €50.'));
    await answers(GIFT, 'Gift cards of €50.', 'the rename-saved article');
    await writeFile(file, giftCards('Gift cards of €100.'));
    await answers(GIFT, 'Gift cards of €100.', 'the article saved in place');
    await unlink(file);
    await answers(GIFT, null, 'the article to be gone');
    expect(await answerTo('When will my order arrive?')).toBe('Next day, before 22:00.');
  });

  it('sees a folder of articles moved in, and one removed', async () => {
    const outside = await tempDir({ 'returns.md': article({ title: 'Returns', questions: ['Can I return it?'] }, 'Within 30 days.') });
    await rename(path.join(outside.dir), path.join(dir, 'returns'));
    await answers('Can I return it?', 'Within 30 days.', 'the moved-in folder');
    await rm(path.join(dir, 'returns'), { recursive: true });
    await answers('Can I return it?', null, 'the removed folder to be gone');
  });

  it('logs a watcher error and keeps following the folder', async () => {
    const loop = path.join(dir, 'shop', 'loop');
    await mkdir(path.dirname(loop), { recursive: true });
    await symlink('loop', loop); // stat() fails with ELOOP
    const logged = await until(() => logs.join(''), (text) => text.includes('watching knowledge failed'), 'the watcher error to be logged');
    expect(logged).toContain('"code":"ELOOP"');
    await rm(loop);
    await writeFile(path.join(dir, 'shop', 'gift-cards.md'), giftCards('Gift cards after the error.'));
    await answers(GIFT, 'Gift cards after the error.', 'a save after the error');
  });
});
