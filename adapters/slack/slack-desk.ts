import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import type { TranscriptLine } from '../../src/handoff/context.ts';
import type { AgentDesk, AgentIdentity } from '../../src/handoff/desk.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { CLAIM_ACTION, escapeMrkdwn, fallbackText, handoffBlocks, RESOLVE_ACTION } from './blocks.ts';
import { plainText, type SlackMessageEvent } from './normalize.ts';

/** Where a handoff's message is: `<channel>:<ts>`, kept in the handoff's desk_refs under this key. */
export const DESK_REF = 'slack';

export interface SlackDeskOptions {
  /** The Slack app's Bolt app, shared with the customer channel; the desk adds its button listeners to it. */
  app: App;
  client: webApi.WebClient;
  /** Channel id where handoffs are posted; replies in a handoff's thread go to its customer. */
  channel: string;
  service: HandoffService;
  logger: Logger;
}

export interface SlackDesk {
  desk: AgentDesk;
  /** A person's message in a thread of the agent channel (routed here by routing.ts). */
  threadReply(message: SlackMessageEvent, eventId: string | undefined): Promise<void>;
}

export function createSlackDesk(options: SlackDeskOptions): SlackDesk {
  const { app, client, service, logger, channel } = options;

  const where = (handoff: Handoff) => {
    const ref = handoff.deskRefs[DESK_REF];
    if (!ref) return undefined;
    const [refChannel, ts] = ref.split(':');
    return refChannel && ts ? { channel: refChannel, ts } : undefined;
  };
  const slackAgent = (user: { id: string; name?: string; username?: string }): AgentIdentity => ({ id: `slack:${user.id}`, name: user.name ?? user.username ?? user.id });
  const fail = (what: string) => (error: unknown) =>
    logger.warn({ desk: 'slack', err: error instanceof Error ? error.message : String(error) }, `slack desk: ${what} failed`);

  const desk: AgentDesk = {
    id: 'slack',
    async announce(handoff) {
      if (handoff.deskRefs[DESK_REF]) return;
      const posted = await client.chat.postMessage({ channel, text: fallbackText(handoff), blocks: handoffBlocks(handoff) as never });
      if (!posted.ok || !posted.ts) throw new Error(`chat.postMessage failed: ${posted.error ?? 'no ts'}`);
      await service.handoffs.setDeskRef(handoff.id, DESK_REF, `${posted.channel ?? channel}:${posted.ts}`);
      // An agent may press Claim the moment the message shows, before its reference above is stored: then `changed`
      // found nothing to update, and the message is brought up to date here.
      const now = await service.handoffs.get(handoff.id);
      if (now && now.status !== handoff.status) await desk.changed?.(now);
    },
    async changed(handoff) {
      const at = where(handoff) ?? where((await service.handoffs.get(handoff.id)) ?? handoff);
      if (at) await client.chat.update({ channel: at.channel, ts: at.ts, text: fallbackText(handoff), blocks: handoffBlocks(handoff) as never });
    },
    async line(handoff: Handoff, line: TranscriptLine, origin?: string) {
      const at = where(handoff);
      if (!at || origin === 'slack') return;
      const who = line.from === 'customer' ? 'Customer' : line.from === 'agent' ? 'Agent (console)' : 'Bot';
      await client.chat.postMessage({ channel: at.channel, thread_ts: at.ts, text: `*${who}:* ${escapeMrkdwn(line.text)}` });
    },
  };

  // Slack retries a delivery it thinks failed; replies are deduplicated on event_id all the same.
  async function threadReply(message: SlackMessageEvent, eventId: string | undefined): Promise<void> {
    if (typeof message.thread_ts !== 'string' || message.thread_ts === message.ts || typeof message.text !== 'string' || typeof message.user !== 'string') return;
    const handoff = await service.handoffs.findByDeskRef(DESK_REF, `${String(message.channel)}:${message.thread_ts}`);
    if (!handoff || handoff.status === 'resolved') return;
    const key = eventId ?? `${String(message.channel)}:${String(message.ts)}`;
    // The customer sees the agent's text as typed, not Slack's markup of it (&amp;, <link|label>).
    const text = plainText(message.text, undefined, false);
    await service.reply(handoff.id, slackAgent({ id: message.user }), `slack:${key}`, text, 'slack').catch(fail('forwarding a thread reply'));
  }

  const onButton = (run: (handoffId: string, agent: AgentIdentity) => Promise<unknown>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction }) => {
      await ack();
      // Not awaited: the request is answered once its listeners finish, and Slack wants interactivity acked at once.
      void run(action.value ?? '', slackAgent(body.user)).catch(fail(action.action_id));
    };
  app.action<BlockAction<ButtonAction>>(CLAIM_ACTION, onButton((id, agent) => service.claim(id, agent)));
  app.action<BlockAction<ButtonAction>>(RESOLVE_ACTION, onButton((id, agent) => service.resolve(id, agent, 'resolved in Slack')));

  return { desk, threadReply };
}
