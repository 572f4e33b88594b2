import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../src/core/errors.ts';

/**
 * The web chat's conversation id is the conversation's only key: whoever knows it reads the transcript and writes as
 * the customer. A new conversation therefore needs an id nobody can guess: a random UUID (122 random bits) or at
 * least 32 characters of `[A-Za-z0-9_-]` (192 bits when random). The shape is all the server can check.
 */
const UNGUESSABLE = /^[A-Za-z0-9_-]{32,128}$/;

export function isUnguessableId(id: string): boolean {
  return UNGUESSABLE.test(id);
}

/** An id for a new conversation, for clients that let the server choose (POST /api/webchat/conversations). */
export function newConversationId(): string {
  return randomUUID();
}

export interface ConversationIdPolicy {
  /** WEBCHAT_WEAK_IDS: accept any id, as before. */
  weakIds: boolean;
  /** Whether a web conversation with this id already has messages. */
  exists(conversationId: string): Promise<boolean>;
}

/**
 * Refuses (400) a new conversation under an id that can be guessed. Conversations that already exist keep their id,
 * so integrations that used `order-42` before go on working for those; the lookup is paid only for such ids.
 */
export async function checkConversationId(conversationId: string, policy: ConversationIdPolicy): Promise<void> {
  if (policy.weakIds || isUnguessableId(conversationId)) return;
  if (await policy.exists(conversationId)) return;
  throw new ParleyError(
    'BAD_REQUEST',
    'conversationId: a new conversation needs a random id (a UUID, or 32+ characters of A-Z a-z 0-9 _ -); POST /api/webchat/conversations issues one',
  );
}
