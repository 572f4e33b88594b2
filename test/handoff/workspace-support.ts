import { say } from '../support/app.ts';
import { ANA, asAgent, eventually, type HandoffApp } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/** Calls the workspace's API as an agent with any method (bearer token). */
export async function call(url: string, token: string, method: string, pathname: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/** The web chat customer asks for a person; returns the id of the handoff Ana's queue (support) shows. */
export async function handOver(t: HandoffApp, conversationId: string, first = 'human', token = ANA.token): Promise<string> {
  await say(t.url, conversationId, `${conversationId}-m1`, { text: first });
  const conversation = await eventually(async () => (await t.app.store.findConversation('web', conversationId)) ?? undefined);
  return eventually(async () => {
    const open = await t.handoffs.openFor(conversation.id);
    if (!open) return undefined;
    const listed = await asAgent(t.url, token, `/agent/api/handoffs/${open.id}`);
    return listed.status === 200 ? open.id : undefined;
  });
}

/** Every text the database's messages table holds for this web conversation. */
export async function storedTexts(t: HandoffApp, conversationId: string): Promise<string[]> {
  const rows = await sqlOf(t.app.store).query<{ text: string | null }>(
    `SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 ORDER BY m.id`, [conversationId]);
  return rows.rows.map((row) => row.text ?? '');
}
