import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase, groupGaps, maskPrivate, type KbGap } from '../../src/kb/index.ts';
import { SqlGapStore } from '../../src/kb/gap-store.ts';
import type { Db } from '../../src/store/index.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';
import { demoKnowledge, tempDir } from './support/kb-dir.ts';

describe('maskPrivate: no email, phone, card or IBAN reaches the gap list', () => {
  it.each([
    ['mail me at jo.doe+shop@example.co.uk please', 'mail me at [email] please'],
    ['call +31 6 1234 5678 tomorrow', 'call [phone] tomorrow'],
    ['ruf an: +49 151 2345 6789', 'ruf an: [phone]'],
    ['my number is 0612345678', 'my number is [phone]'],
    ['(010) 123-4567 is my landline', '[phone] is my landline'],
    ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['refund to NL91 ABNA 0417 1643 00 please', 'refund to [iban] please'],
    ['where is order BW-12345 from 12 March', 'where is order BW-12345 from 12 March'],
    ['is the Wave 700 on sale for €249?', 'is the Wave 700 on sale for €249?'],
  ])('%s', (input, expected) => {
    expect(maskPrivate(input)).toBe(expected);
  });
});

describe('groupGaps: similar questions together, most frequent first', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 10, minute));
  const gap = (question: string, minute: number, nearestArticleId: string | null = null): KbGap => ({ question, confidence: 0.2, nearestArticleId, locale: 'en', at: at(minute) });

  it('groups rewordings and counts repeats', () => {
    const groups = groupGaps([
      gap('Do you sell gift cards?', 1, 'faq/gift-wrapping'),
      gap('do you sell gift cards', 2, 'faq/gift-wrapping'),
      gap('Can I buy a gift card?', 3),
      gap('gift cards?', 4),
      gap('Do you ship to Canada?', 5, 'shipping/countries'),
      gap('shipping to canada', 6),
      gap('What is the capital of France?', 7),
    ]);
    expect(groups.map((g) => [g.count, g.question])).toEqual([
      [4, 'Do you sell gift cards?'],
      [2, 'shipping to canada'],
      [1, 'What is the capital of France?'],
    ]);
    expect(groups[0]!.examples).toEqual(['gift cards?', 'Can I buy a gift card?']);
    expect(groups[0]!.nearestArticleId).toBe('faq/gift-wrapping');
    expect(groups[0]!.lastAt).toEqual(at(4));
  });

  it('does not merge questions that only share a common word', () => {
    const groups = groupGaps([gap('do you sell gift cards', 1), gap('do you sell drones', 2), gap('do you sell printers', 3)]);
    expect(groups).toHaveLength(3);
  });
});

describe('gaps in the database (kb_gaps), without customer identity', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    db = await openMigratedTestDb();
    cleanup = (await tempDir()).cleanup;
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('the table has no column that could identify who asked', async () => {
    const columns = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'kb_gaps' ORDER BY ordinal_position");
    expect(columns.rows.map((c) => c.column_name)).toEqual(['id', 'question', 'confidence', 'nearest_article_id', 'locale', 'created_at']);
  });

  it('declined questions are stored masked and listed grouped, most frequent first', async () => {
    const kb = await createKnowledgeBase({ dir: demoKnowledge, dataDir: (await tempDir()).dir, gaps: new SqlGapStore(db) });
    try {
      for (const q of ['do you sell lawn mowers?', 'Do you sell lawn mowers', 'can I buy a lawn mower, call me on +31 6 1234 5678', 'what is the capital of france?']) {
        expect((await kb.answer(q, { locale: 'en-GB' })).answer).toBeNull();
      }
      expect((await kb.answer('can I pay with klarna')).answer).not.toBeNull();
      const rows = await db.query<{ question: string; locale: string }>('SELECT question, locale FROM kb_gaps ORDER BY id');
      expect(rows.rows.map((r) => r.question)).toEqual(['do you sell lawn mowers?', 'Do you sell lawn mowers', 'can I buy a lawn mower, call me on [phone]', 'what is the capital of france?']);
      expect(rows.rows.every((r) => r.locale === 'en')).toBe(true);
      const groups = await kb.gaps();
      expect(groups.map((g) => [g.count, g.question.toLowerCase().replace('?', '')])).toEqual([
        [3, 'do you sell lawn mowers'],
        [1, 'what is the capital of france'],
      ]);
      expect(groups[0]!.examples).toEqual(['can I buy a lawn mower, call me on [phone]']);
    } finally {
      await kb.close();
    }
  });
});
