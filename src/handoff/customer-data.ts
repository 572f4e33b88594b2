import { eraseOwnRows, exportOwnRows, mergeOwnRows, purgeInBatches, type CustomerRows } from '../store/customer-rows.ts';

const tables = {
  module: 'handoff',
  tables: {
    handoffs: { rows: 'own' },
    handoff_notes: { rows: 'own' },
    handoff_replies: { rows: 'with', parent: 'handoffs' },
    handoff_reads: { rows: 'with', parent: 'handoffs' },
    handoff_notices: { rows: 'with', parent: 'messages' },
  },
} as const;

/**
 * The handoff's tables (docs/handoff.md) and the agent workspace's beside them. An erase also notes the customer's
 * handoffs: their queue jobs and the desks' copies outside Parley are removed after the transaction.
 */
export const handoffCustomerData: CustomerRows = {
  ...tables,
  export: (q, subject) => exportOwnRows(q, tables, subject),
  merge: (tx, keep, gone) => mergeOwnRows(tx, tables, keep, gone),
  async erase(tx, subject, erased) {
    const handoffs = await tx.query<{ id: string; desk_refs: Record<string, string> | null }>(
      'SELECT id, desk_refs FROM handoffs WHERE conversation_id = ANY($1::uuid[])', [subject.conversations.map((c) => c.id)],
    );
    erased.ids.push(...handoffs.rows.map((h) => h.id));
    erased.handoffs.push(...handoffs.rows.map((h) => ({ id: h.id, deskRefs: h.desk_refs ?? {} })));
    await eraseOwnRows(tx, tables, subject, erased);
  },
  /**
   * Old resolved handoffs keep their row (for counts and ratings); what the customer wrote in their context goes: the
   * transcript, knowledge records, summary, the flow's variables, the reason.
   */
  async purge(q, olderThan, batch) {
    const handoffContexts = await purgeInBatches(q, `
      UPDATE handoffs SET reason = trigger, context = context
        || jsonb_build_object('transcript', '[]'::jsonb, 'knowledge', '[]'::jsonb, 'summary', '', 'reason', trigger)
        || jsonb_build_object('flow', (context -> 'flow') || jsonb_build_object('vars', '{}'::jsonb))
      WHERE id IN (
        SELECT id FROM handoffs WHERE status = 'resolved' AND created_at < $1
          AND (jsonb_array_length(context -> 'transcript') > 0 OR context ->> 'summary' <> '' OR reason <> trigger)
        LIMIT $2)`, olderThan, batch);
    return { handoffContexts };
  },
};
