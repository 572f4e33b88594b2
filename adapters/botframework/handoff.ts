import { type Activity, type CloudAdapter, type ConversationReference, EventFactory, type Transcript } from 'botbuilder';
import { DEFAULT_SEND_TIMEOUT_MS } from '../../src/core/channel.ts';
import { isParleyError } from '../../src/core/errors.ts';
import type { AgentDesk, AgentIdentity, Handoff, HandoffContext } from '../../src/handoff/index.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { BOTFRAMEWORK_CHANNEL, HANDOFF_END_STATES } from './normalize.ts';
import type { ReferenceStore } from './send.ts';
import { sendActivityBefore, sendFailure } from './send.ts';

/** desk_refs key: the channel's conversation id, once `handoff.initiate` was sent for the handoff. */
export const INITIATED_REF = 'botframework';
/** desk_refs key: the last `handoff.status` state the channel reported. */
export const STATUS_REF = 'botframework:status';

/** What the desk needs of the handoff service (HandoffService). */
export interface HandoffServicePort {
  handoffs: {
    setDeskRef(id: string, key: string, value: string): Promise<void>;
    findByDeskRef(key: string, value: string): Promise<Handoff | null>;
  };
  resolve(handoffId: string, agent: AgentIdentity, outcome: string): Promise<Handoff>;
  /** The handoff's conversation: where its address is (the context carries none). */
  conversation(handoff: Handoff): Promise<{ address: { channel: string; conversationId: string } }>;
}

export interface BotFrameworkDeskOptions {
  adapter: CloudAdapter;
  appId: string;
  references: ReferenceStore;
  service: HandoffServicePort;
  logger: Logger;
  /** How long the channel service may take to accept the handoff event; 15 s unless given. */
  timeoutMs?: number;
}

/** The channel's side of a handoff that ended on the channel (e.g. an Omnichannel agent closed it). */
const CHANNEL_AGENT: AgentIdentity = { id: 'botframework', name: 'Bot Framework' };

/** The transcript as Bot Framework activities, for the `handoff.initiate` event's attachment. */
export function transcriptOf(context: HandoffContext, reference: Partial<ConversationReference>): Transcript {
  const activities = context.transcript.map((line): Partial<Activity> => {
    const fromCustomer = line.from === 'customer';
    return {
      type: 'message',
      id: line.id,
      timestamp: new Date(line.at),
      text: line.payload && !line.text ? line.payload : line.text,
      from: fromCustomer
        ? { id: reference.user?.id ?? 'customer', name: context.customer.name ?? '', role: 'user' }
        : { id: reference.bot?.id ?? 'parley', name: line.from === 'agent' ? 'agent' : reference.bot?.name ?? 'bot', role: 'bot' },
      ...(reference.conversation ? { conversation: reference.conversation } : {}),
    };
  });
  return { activities: activities as Activity[] };
}

/**
 * Bot Framework's side of the handoff protocol, as an agent desk: when a conversation on this channel goes to a
 * person, the channel also gets the standard `handoff.initiate` event with the transcript (so a channel with its
 * own agent hub, like Dynamics 365 Omnichannel, can route it); `handoff.status` events the channel sends back are
 * recorded on the handoff, and `completed` / `failed` return the conversation to the bot.
 */
export class BotFrameworkDesk implements AgentDesk {
  readonly id = 'botframework';

  constructor(private readonly options: BotFrameworkDeskOptions) {}

  async announce(handoff: Handoff): Promise<void> {
    if (handoff.context.channel.id !== BOTFRAMEWORK_CHANNEL || handoff.deskRefs[INITIATED_REF]) return;
    const { adapter, appId, references, service, logger } = this.options;
    const { address } = await service.conversation(handoff);
    const reference = await references.get<Partial<ConversationReference>>(BOTFRAMEWORK_CHANNEL, address.conversationId);
    if (!reference) {
      logger.warn({ handoffId: handoff.id }, 'handoff.initiate not sent: no conversation reference');
      return;
    }
    const context = handoff.context;
    const handoffContext = {
      handoffId: handoff.id, reason: context.reason, trigger: context.trigger, priority: context.priority, queue: context.queue,
      summary: context.summary, locale: context.customer.locale, flow: context.flow.flow ?? null,
    };
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      await adapter.continueConversationAsync(appId, reference, async (turn) => {
        await sendActivityBefore(adapter, turn, EventFactory.createHandoffInitiation(turn, handoffContext, transcriptOf(context, reference)), deadline);
      });
    } catch (error) {
      // Thrown: the queue's job is retried, and announcing is idempotent on the other desks.
      throw sendFailure(error, deadline, timeoutMs);
    }
    await service.handoffs.setDeskRef(handoff.id, INITIATED_REF, address.conversationId);
    logger.info({ handoffId: handoff.id }, 'handoff.initiate sent to the Bot Framework channel');
  }

  /** A `handoff.status` event from the channel for its conversation `conversationId`. */
  async status(conversationId: string, state: string, message?: string): Promise<void> {
    const { service, logger } = this.options;
    const handoff = await service.handoffs.findByDeskRef(INITIATED_REF, conversationId);
    if (!handoff) {
      logger.info({ state }, 'handoff.status for a conversation with no handoff initiated on the channel; ignored');
      return;
    }
    await service.handoffs.setDeskRef(handoff.id, STATUS_REF, state);
    logger.info({ handoffId: handoff.id, state }, 'handoff.status from the Bot Framework channel');
    if (!(HANDOFF_END_STATES as readonly string[]).includes(state) || handoff.status === 'resolved') return;
    try {
      await service.resolve(handoff.id, CHANNEL_AGENT, `handoff.status ${state}${message ? `: ${message}` : ''}`);
    } catch (error) {
      // An agent on a Parley desk has it: they resolve it themselves.
      if (!isParleyError(error, 'CONFLICT')) throw error;
      logger.info({ handoffId: handoff.id, state }, 'handoff.status not applied: an agent has claimed the handoff');
    }
  }
}
