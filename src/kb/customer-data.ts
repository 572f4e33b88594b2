import { redact } from '../infra/redact.ts';
import { purgeInBatches, subjectTexts, type CustomerRows, type Subject } from '../store/customer-rows.ts';
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
  export: async (q, subject) => ({ unansweredQuestions: await subjectGaps(q, subject) }),
  merge: async () => {},
  async erase(tx, subject, erased) {
    const gapIds = await subjectGapIds(tx, subject);
    if (gapIds.length === 0) return;
    await tx.query('DELETE FROM kb_gaps WHERE id::text = ANY($1::text[])', [gapIds]);
    erased.counts.kb_gaps = gapIds.length;
  },
  /** Unanswered questions older than the period. */
  async purge(q, olderThan, batch) {
    return { kbGaps: await purgeInBatches(q, 'DELETE FROM kb_gaps WHERE id IN (SELECT id FROM kb_gaps WHERE created_at < $1 ORDER BY id LIMIT $2)', olderThan, batch) };
  },
};

/** For an export: the unanswered questions that came from this customer, as recorded for editors (redacted). */
export async function subjectGaps(q: Queryable, subject: Subject): Promise<Record<string, unknown>[]> {
  const gapIds = await subjectGapIds(q, subject);
  if (gapIds.length === 0) return [];
  const gaps = await q.query<Record<string, unknown>>(
    'SELECT question, confidence, nearest_article_id, locale, created_at FROM kb_gaps WHERE id::text = ANY($1::text[]) ORDER BY id', [gapIds]);
  return gaps.rows;
}

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
