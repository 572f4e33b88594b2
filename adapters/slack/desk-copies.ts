import type { webApi } from '@slack/bolt';
import type { CopiesErased, DeskRefs, HandoffCopies } from '../../src/privacy/customer-erase.ts';
import { DESK_REF } from './slack-desk.ts';

/** Slack's error code of a failed Web API call (`ok: false`), when it got that far. */
function slackError(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The Slack desk's copies of a customer's handoffs, deleted on an erase: each handoff's message in the agent
 * channel and every line of its thread. The bot's token deletes what the bot posted (the handoff, the customer's
 * and the bot's lines, console agents' replies); a person's own reply in the thread can only be deleted by them or a
 * workspace admin, so it is left and reported with its place (`<channel>:<ts>`).
 */
export function slackDeskCopies(client: webApi.WebClient): HandoffCopies {
  return {
    name: DESK_REF,
    async erase(handoffs: readonly DeskRefs[]): Promise<CopiesErased> {
      const result: CopiesErased = { deleted: 0, left: [] };
      for (const refs of handoffs) {
        const [channel, ts] = (refs[DESK_REF] ?? '').split(':');
        if (!channel || !ts) continue;
        const thread: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.conversations.replies({ channel, ts, limit: 200, ...(cursor ? { cursor } : {}) }).catch((error: unknown) => {
            if (slackError(error) === 'thread_not_found' || slackError(error) === 'message_not_found') return undefined;
            throw error;
          });
          for (const message of page?.messages ?? []) if (message.ts) thread.push(message.ts);
          cursor = page?.response_metadata?.next_cursor || undefined;
        } while (cursor);
        // The replies first, the handoff's message last: a failure half-way leaves the thread findable.
        const replies = [...new Set(thread)].filter((t) => t !== ts);
        for (const messageTs of [...replies, ts]) {
          try {
            await client.chat.delete({ channel, ts: messageTs });
            result.deleted++;
          } catch (error) {
            const code = slackError(error);
            if (code === 'message_not_found') continue;
            if (code === 'cant_delete_message') result.left.push(`${channel}:${messageTs}`);
            else throw error;
          }
        }
      }
      return result;
    },
  };
}
