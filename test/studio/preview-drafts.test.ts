import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, say } from '../support/app.ts';
import { repliesText } from '../support/studio-api.ts';
import { useStudioApp } from '../support/studio-app.ts';

/**
 * The preview answers from the editor's draft articles layered over the published release's knowledge base: a
 * changed article answers with its draft, a removed one no longer answers, every other published article still
 * does; customers keep getting the published articles until a publish.
 */
const studio = useStudioApp();
const { api } = studio;
const replies = repliesText;
const preview = async (text: string) => replies((await api('POST', '/studio/api/preview', { conversationId: randomUUID(), text })).json);
const customer = async (text: string) => replies(await say(studio.url, randomUUID(), 'm1', { text }));

const RECYCLING = 'knowledge/support/recycling-and-trade-in.md';
const TRADE_IN = 'Do you buy back used devices?';

describe('the preview answers from the drafts layered over the published knowledge base', () => {
  it('a drafted article answers in the preview while customers still get the published one', { timeout: 120_000 }, async () => {
    const published = await readFile(path.join(repoRoot, RECYCLING), 'utf8');
    const draft = published.replace("We don't buy back used devices at the moment.", 'We buy back used devices: a phone under three years old gets a store voucher worth up to €150.');
    expect(draft).not.toBe(published);
    const { json: current } = await api('GET', `/studio/api/files/${RECYCLING}`);
    expect((await api('PUT', `/studio/api/files/${RECYCLING}`, { content: draft, baseVersion: current.version })).status).toBe(200);

    expect(await preview(TRADE_IN)).toContain('store voucher worth up to €150');
    expect(await customer(TRADE_IN)).toContain("We don't buy back used devices");
    expect(await customer(TRADE_IN)).not.toContain('store voucher');
    // "Try a question" asks the same drafts.
    expect((await api('POST', '/studio/api/ask', { question: TRADE_IN })).json.answer).toContain('store voucher');
    // Articles without a draft answer in the preview as they do for customers.
    const hub = 'Does the Halo Hub work with Matter?';
    expect(await preview(hub)).toBe(await customer(hub));
    expect(await preview(hub)).toMatch(/Matter/);
  });

  it('a drafted removal takes the article out of the preview only; a publish gives customers the drafts', { timeout: 120_000 }, async () => {
    const { json: visiting } = await api('GET', '/studio/api/files/knowledge/support/visiting-the-store.md');
    const parking = 'Is there parking near your store?';
    const before = await preview(parking);
    expect((await api('DELETE', `/studio/api/files/knowledge/support/visiting-the-store.md?baseVersion=${visiting.version}`)).status).toBe(200);
    const removed = (await api('POST', '/studio/api/ask', { question: parking })).json;
    expect(removed.sources).not.toContain('Visiting our store in Rotterdam');
    expect(await preview(parking)).not.toBe(before);
    expect(await customer(parking)).toBe(before);

    expect((await api('POST', '/studio/api/publish', { message: 'trade-in vouchers; no store page' })).status).toBe(201);
    expect(await customer(TRADE_IN)).toContain('store voucher');
    expect(await preview(TRADE_IN)).toContain('store voucher');
    expect((await api('POST', '/studio/api/ask', { question: parking })).json.sources).not.toContain('Visiting our store in Rotterdam');
  });
});
