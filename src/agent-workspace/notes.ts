import { ParleyError } from '../core/errors.ts';
import type { AgentIdentity } from '../handoff/desk.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { Queryable } from '../store/types.ts';

/** A private note: agents only, never a message (it lives in handoff_notes, which no reader of messages reads). */
export interface Note {
  id: string;
  handoffId: string;
  text: string;
  at: string;
  by: AgentIdentity;
}

/** Longest note an agent may write. */
export const MAX_NOTE = 4000;

interface NoteRow {
  id: string;
  handoff_id: string;
  agent_id: string;
  agent_name: string;
  text: string;
  created_at: Date;
}

const toNote = (row: NoteRow): Note => ({
  id: String(row.id), handoffId: row.handoff_id, text: row.text, at: new Date(row.created_at).toISOString(), by: { id: row.agent_id, name: row.agent_name },
});

/** Agents' private notes on handoffs (migration 0014). Exported and erased with the customer through conversation_id. */
export class NoteStore {
  constructor(private readonly db: Queryable) {}

  async add(handoff: Handoff, agent: AgentIdentity, text: string): Promise<Note> {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.length > MAX_NOTE) throw new ParleyError('BAD_REQUEST', `a note must have 1 to ${MAX_NOTE} characters`);
    const result = await this.db.query<NoteRow>(
      `INSERT INTO handoff_notes (handoff_id, conversation_id, agent_id, agent_name, text) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [handoff.id, handoff.conversationId, agent.id, agent.name, trimmed],
    );
    return toNote(result.rows[0]!);
  }

  /** Every note on the conversation's handoffs, oldest first. */
  async ofConversation(conversationId: string): Promise<Note[]> {
    const result = await this.db.query<NoteRow>('SELECT * FROM handoff_notes WHERE conversation_id = $1 ORDER BY id', [conversationId]);
    return result.rows.map(toNote);
  }
}
