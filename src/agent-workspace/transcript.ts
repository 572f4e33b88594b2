import { transcriptLines } from '../handoff/build-context.ts';
import type { TranscriptLine } from '../handoff/context.ts';
import type { AgentIdentity } from '../handoff/desk.ts';
import type { HandoffStore } from '../handoff/handoff-store.ts';
import type { Store } from '../store/types.ts';
import type { Note } from './notes.ts';

/** One entry of the agent's transcript: what the customer, the bot and agents wrote, Parley's notices, and private notes. */
export interface WorkspaceEntry {
  id: string;
  kind: 'customer' | 'bot' | 'agent' | 'note' | 'notice';
  text: string;
  at: string;
  /** The agent who wrote a reply or a note. */
  by?: AgentIdentity;
  /** The button the customer pressed. */
  payload?: string;
  /** Titles of the buttons the bot offered. */
  buttons?: string[];
  /** The channel a reply went out on, when it is not the conversation's. */
  channel?: string;
}

/** The kind of a message line: a notice when the handoff recorded it as one. */
export function entryOf(line: TranscriptLine, notices: ReadonlySet<string>, by?: AgentIdentity): WorkspaceEntry {
  const kind = line.from === 'bot' && notices.has(line.id) ? 'notice' : line.from;
  const { from: _from, ...rest } = line;
  return { ...rest, kind, ...(by ? { by } : {}) };
}

export function noteEntry(note: Note): WorkspaceEntry {
  return { id: `note-${note.id}`, kind: 'note', text: note.text, at: note.at, by: note.by };
}

/**
 * The conversation as its agents see it: messages (notices and agents' replies marked), with the private notes
 * placed by time. Only this view reads the notes; every other reader of the transcript reads messages only.
 */
export async function workspaceTranscript(
  store: Store, handoffs: HandoffStore, conversationId: string, notes: readonly Note[], nameOf: (agentId: string) => string,
): Promise<WorkspaceEntry[]> {
  const lines = await transcriptLines(store, handoffs, conversationId);
  const notices = await handoffs.noticeIds(conversationId);
  const authors = await handoffs.replyAuthors(conversationId);
  const entries = lines.map((line) => {
    const author = authors.get(line.id);
    return entryOf(line, notices, author ? { id: author, name: nameOf(author) } : undefined);
  });
  return mergeByTime(entries, notes.map(noteEntry));
}

/** The notes placed among the messages by time, the messages kept in their own (store) order. */
function mergeByTime(messages: WorkspaceEntry[], notes: WorkspaceEntry[]): WorkspaceEntry[] {
  const merged: WorkspaceEntry[] = [];
  let next = 0;
  for (const message of messages) {
    while (next < notes.length && notes[next]!.at < message.at) merged.push(notes[next++]!);
    merged.push(message);
  }
  return [...merged, ...notes.slice(next)];
}
