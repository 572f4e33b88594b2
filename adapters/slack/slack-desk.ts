import { App, HTTPReceiver, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { TranscriptLine } from '../../src/handoff/context.ts';
import type { AgentDesk, AgentIdentity } from '../../src/handoff/desk.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import { CLAIM_ACTION, escapeMrkdwn, handoffBlocks, headline, RESOLVE_ACTION } from './blocks.ts';
import type { SlackDeskOptions } from './index.ts';
import { SLACK_ENDPOINTS } from './receiver.ts';

/** Where a handoff's message is: `<channel>:<ts>`, kept in the handoff's desk_refs under this key. */
const REF = 'slack';

/** Message events Bolt delivers that are not a person writing (edits, deletions, joins, bots' own). */
const isPlainMessage = (event: Record<string, unknown>) => event.subtype === undefined && event.bot_id === undefined;

export function createSlackDesk(options: SlackDeskOptions): { app: App; receiver: HTTPReceiver; desk: AgentDesk } {
  const { service, logger, channel } = options;
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: SLACK_ENDPOINTS, processBeforeResponse: false, logLevel: LogLevel.ERROR });
  const app = new App({
    token: options.botToken,
    receiver,
    clientOptions: { slackApiUrl: options.apiUrl },
    tokenVerificationEnabled: false,
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
  });
  const client = app.client;

  const where = (handoff: Handoff) => {
    const ref = handoff.deskRefs[REF];
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
      if (handoff.deskRefs[REF]) return;
      const posted = await client.chat.postMessage({ channel, text: headline(handoff), blocks: handoffBlocks(handoff) as never });
      if (!posted.ok || !posted.ts) throw new Error(`chat.postMessage failed: ${posted.error ?? 'no ts'}`);
      await service.handoffs.setDeskRef(handoff.id, REF, `${posted.channel ?? channel}:${posted.ts}`);
    },
    async changed(handoff) {
      const at = where(handoff);
      if (at) await client.chat.update({ channel: at.channel, ts: at.ts, text: headline(handoff), blocks: handoffBlocks(handoff) as never });
    },
    async line(handoff: Handoff, line: TranscriptLine, origin?: string) {
      const at = where(handoff);
      if (!at || origin === 'slack') return;
      const who = line.from === 'customer' ? 'Customer' : line.from === 'agent' ? 'Agent (console)' : 'Bot';
      await client.chat.postMessage({ channel: at.channel, thread_ts: at.ts, text: `*${who}:* ${escapeMrkdwn(line.text)}` });
    },
  };

  // Bolt retries delivery on a slow ack; Parley answers at once and deduplicates on event_id all the same.
  app.event('message', async ({ event, body }) => {
    const message = event as unknown as Record<string, unknown>;
    if (!isPlainMessage(message) || message.channel !== channel || typeof message.thread_ts !== 'string') return;
    if (message.thread_ts === message.ts || typeof message.text !== 'string' || typeof message.user !== 'string') return;
    const handoff = await service.handoffs.findByDeskRef(REF, `${message.channel}:${message.thread_ts}`);
    if (!handoff || handoff.status === 'resolved') return;
    const eventId = (body as { event_id?: string }).event_id ?? `${message.channel}:${String(message.ts)}`;
    await service.reply(handoff.id, slackAgent({ id: message.user }), `slack:${eventId}`, message.text, 'slack').catch(fail('forwarding a thread reply'));
  });

  const onButton = (run: (handoffId: string, agent: AgentIdentity) => Promise<unknown>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction }) => {
      await ack();
      await run(action.value ?? '', slackAgent(body.user)).catch(fail(action.action_id));
    };
  app.action<BlockAction<ButtonAction>>(CLAIM_ACTION, onButton((id, agent) => service.claim(id, agent)));
  app.action<BlockAction<ButtonAction>>(RESOLVE_ACTION, onButton((id, agent) => service.resolve(id, agent, 'resolved in Slack')));
  app.error(async (error) => fail('a Bolt handler')(error));

  return { app, receiver, desk };
}
