import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { InboundMessage } from '../../src/core/message.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { escapeMrkdwn } from './blocks.ts';
import { isDirectMessage, parseConversation, pressToInbound, REPLY_ACTION_PREFIX, SLACK_CHANNEL, toInbound, type SlackButtonPress, type SlackMessageEvent } from './normalize.ts';
import type { SlackRoute } from './routing.ts';
import type { DmThread, ReferenceStore } from './send.ts';

export interface SlackCustomersOptions {
  /** The shared Bolt app; the customer channel adds the listener of its reply buttons. */
  app: App;
  /** For acknowledging a pressed button on its message (best effort). */
  client: webApi.WebClient;
  inbox: InboxPort;
  references: ReferenceStore;
  logger: Logger;
  now?: () => Date;
}

export interface SlackCustomers {
  /** A routed customer event: resolves once the message is stored (or found a duplicate); its turn goes on after. */
  receive(event: SlackMessageEvent, route: Exclude<SlackRoute, 'desk' | undefined>, context: { teamId: string | undefined; botUserId: string | undefined }): Promise<void>;
}

/** The customer side of the Slack app: DMs to the app, @mentions and their threads, and presses of Parley's buttons. */
export function createSlackCustomers(options: SlackCustomersOptions): SlackCustomers {
  const { app, client, inbox, references, logger } = options;
  const now = options.now ?? (() => new Date());

  /**
   * Resolves once the inbox has stored the message (or found it a duplicate): Slack's request is answered then, and
   * a stored message is answered even if this process dies before its turn ends (the inbox recovers it).
   */
  function accept(message: InboundMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let accepted = false;
      inbox.receive(message, { onAccepted: () => { accepted = true; resolve(); } }).then(
        () => resolve(),
        (error: unknown) => {
          if (accepted) logger.error({ err: error instanceof Error ? error.message : String(error) }, 'Slack message turn failed');
          reject(error);
        },
      );
    });
  }

  /** A DM's replies go where the customer last wrote: the DM itself, or the thread they wrote in. */
  const rememberDmThread = (conversationId: string, threadTs: string | undefined) =>
    references.save(SLACK_CHANNEL, conversationId, { threadTs: threadTs ?? null } satisfies DmThread);

  async function receive(event: SlackMessageEvent, route: 'customer' | 'customer-thread', context: { teamId: string | undefined; botUserId: string | undefined }) {
    const inbound = toInbound(event, { ...context, now: now() });
    if (!inbound) return;
    const { conversationId } = inbound.address;
    // A thread is the bot's only once an @mention started a conversation there.
    if (route === 'customer-thread' && (await inbox.history(SLACK_CHANNEL, conversationId, 1)).length === 0) return;
    if (isDirectMessage(event)) await rememberDmThread(conversationId, event.thread_ts);
    await accept(inbound);
  }

  /** The pressed button's message shows the choice instead of the buttons, so it is not pressed again. */
  async function showChoice(body: SlackButtonPress, blockId: string, title: string): Promise<void> {
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts;
    if (!channel || !ts || !Array.isArray(body.message?.blocks)) return;
    const blocks = body.message.blocks.map((block) =>
      (block as { block_id?: string }).block_id === blockId ? { type: 'context', elements: [{ type: 'mrkdwn', text: `:white_check_mark: ${escapeMrkdwn(title)}` }] } : block,
    );
    await client.chat.update({ channel, ts, text: body.message.text ?? title, blocks: blocks as never });
  }

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${REPLY_ACTION_PREFIX}\\d+$`), async ({ ack, body, action }) => {
    await ack();
    const press = body as unknown as SlackButtonPress;
    const inbound = pressToInbound(press, action, now());
    if (!inbound) {
      logger.debug({ actionId: action.action_id }, 'Slack button press not from a Parley reply; ignored');
      return;
    }
    const target = parseConversation(inbound.address.conversationId);
    if (target && !target.threadTs) await rememberDmThread(inbound.address.conversationId, press.message?.thread_ts);
    await accept(inbound);
    void showChoice(press, action.block_id, inbound.text ?? '').catch((error: unknown) =>
      logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'could not mark the pressed Slack button'),
    );
  });

  return { receive };
}
