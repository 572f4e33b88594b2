import { redact } from '../infra/redact.ts';
import { subjectTexts, type CustomerRows, type Subject } from '../store/customer-rows.ts';
import type { Queryable } from '../store/types.ts';

/**
 * The knowledge base's table that may hold a customer's words (docs/privacy.md). kb_gaps keeps no link to who asked:
 * an erase finds the customer's questions by their text, and a merge has nothing to move.
 */
export const kbCustomerData: CustomerRows = {
  module: 'kb',
  tables: {
    kb_gaps: { rows: 'apart', why: 'keeps no link to who asked: an erase finds the customer\'s questions by their text' },
  },
  merge: async () => {},
  async erase(tx, subject, erased) {
    const gapIds = await subjectGapIds(tx, subject);
    if (gapIds.length === 0) return;
    await tx.query('DELETE FROM kb_gaps WHERE id::text = ANY($1::text[])', [gapIds]);
    erased.counts.kb_gaps = gapIds.length;
  },
};

/**
 * The unanswered questions that came from this customer, found by their text: the customer's messages (as the store
 * gives them), redacted and cut the way the gap was recorded.
 */
export async function subjectGapIds(q: Queryable, subject: Subject): Promise<string[]> {
  const texts = await subjectTexts(q, subject);
  const questions = [...new Set(texts.flatMap((text) => [text, text.trim()]).map((t) => redact(t).slice(0, 500)))];
  if (questions.length === 0) return [];
  const gaps = await q.query<{ id: string | number }>('SELECT id FROM kb_gaps WHERE question = ANY($1::text[])', [questions]);
  return gaps.rows.map((r) => String(r.id));
}
