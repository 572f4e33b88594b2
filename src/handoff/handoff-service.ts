import { randomUUID } from 'node:crypto';
import { ParleyError } from '../core/errors.ts';
import type { FlowSet } from '../engine/model.ts';
import type { ConversationState } from '../engine/types.ts';
import { conversationLockKey, type ConversationLock } from '../inbox/conversation-lock.ts';
import type { Logger } from '../infra/logger.ts';
import { batched } from '../infra/batch.ts';
import type { Conversation, NewOutbound, Store, StoredMessage } from '../store/types.ts';
import { buildContext, flowOfHandoff, toLine, type CustomerLookup } from './build-context.ts';
import { PRIORITIES, type HandoffTrigger, type KnowledgeRecord } from './context.ts';
import type { AgentIdentity, DeskFanout } from './desk.ts';
import type { Handoff } from './handoff-rows.ts';
import type { HandoffStore } from './handoff-store.ts';
import { notice, ratingButtons } from './notices.ts';
import { idleState, returnToBot } from './return-to-bot.ts';
import type { SummaryWriter } from './summary.ts';
import type { OpeningHours } from '../hours/opening-hours.ts';
import { QueueHours } from './queue-hours.ts';
import { routeHandoff, type HandoffRoute } from './handoff-routes.ts';

/** How a handoff's job gets on the queue (HandoffQueue in production). */
export interface HandoffEnqueuer {
  add(handoffId: string, priority: number): Promise<void>;
}

export interface HandoffServiceOptions {
  store: Store;
  handoffs: HandoffStore;
  /** The customer a new handoff's context names (the customers module's `customerSummary`). */
  customerOf: CustomerLookup;
  queue: HandoffEnqueuer;
  desks: DeskFanout;
  lock: ConversationLock;
  /** Hands stored messages to the outbox. */
  dispatch: (conversation: Conversation, messages: StoredMessage[]) => void;
  /** The flows a conversation in this state runs on (for the return to the bot). */
  flows: (state: ConversationState) => FlowSet;
  logger: Logger;
  /** The agents' queue new handoffs wait in. */
  defaultQueue: string;
  /** Rules that send a handoff to another queue than `defaultQueue` (HANDOFF_ROUTES). */
  routes?: readonly HandoffRoute[];
  /** Writes the context's summary (the chat model) within `timeoutMs`; absent: the summary is extractive. */
  summaries?: { writer: SummaryWriter; timeoutMs: number };
  /**
   * Whether a resolve asks for the rating, and opens the question there: src/analytics asks at most once per
   * conversation, and its rating hooks take the answer.
   */
  askRating: (conversation: Conversation, handoff: Handoff) => Promise<boolean>;
  /** When people are there, per queue (OPENING_HOURS); absent: always. */
  hours?: OpeningHours;
  now?: () => Date;
}

export interface BeginInfo {
  trigger: HandoffTrigger;
  /** The state before the turn that handed over. */
  before: ConversationState;
  knowledge?: KnowledgeRecord[];
}

const PRIORITY_OF: Record<HandoffTrigger, number> = {
  frustration: PRIORITIES.urgent,
  kb_declined: PRIORITIES.high,
  ask_failed: PRIORITIES.high,
  customer_request: PRIORITIES.normal,
  flow: PRIORITIES.normal,
  recovered: PRIORITIES.high,
};

/** Longest reply an agent may send in one message. */
export const MAX_AGENT_REPLY = 4000;

/**
 * Handoffs from start to end: begin (persist with its context, tell the customer their place, enqueue), announce
 * (the queue's worker shows it on every desk), claim, reply, resolve (back to the bot, and the rating question).
 */
export class HandoffService {
  private readonly now: () => Date;
  /** Whether people are there for a queue (OPENING_HOURS), and what the customer is told when not. */
  readonly hours: QueueHours;

  constructor(private readonly options: HandoffServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.hours = new QueueHours({ handoffs: options.handoffs, defaultQueue: options.defaultQueue, now: this.now, ...(options.hours ? { hours: options.hours } : {}) });
  }

  get handoffs(): HandoffStore {
    return this.options.handoffs;
  }

  get store(): Store {
    return this.options.store;
  }

  /**
   * What a customer handed over with this trigger is told: a person is coming, and their place in the queue; outside
   * the queue's opening hours, when a person will be back and that they can leave a message.
   */
  async queuedNotice(conversation: Conversation, trigger: HandoffTrigger, reason: string): Promise<NewOutbound> {
    const queue = this.queueOf(conversation, conversation.state, trigger, reason);
    const locale = conversation.state.locale ?? conversation.locale ?? undefined;
    const closed = this.hours.closedNotice(queue, locale);
    if (closed) return closed;
    const position = await this.options.handoffs.nextPosition(queue, PRIORITY_OF[trigger]);
    return notice('queued', locale, { n: position });
  }

  /** The queue HANDOFF_ROUTES picks for this handoff, from the state before the turn that handed over. */
  private queueOf(conversation: Conversation, before: ConversationState, trigger: HandoffTrigger, reason: string): string {
    const flow = flowOfHandoff(before, this.options.flows(conversation.state), reason, conversation.state.vars);
    const locale = conversation.state.locale ?? conversation.locale ?? undefined;
    return routeHandoff(this.options.routes ?? [], { flow, locale, channel: conversation.channel, trigger }, this.options.defaultQueue);
  }

  /**
   * Opens a handoff for a conversation that just went to a person; returns the open one if it already has one.
   * `tell`: also send the customer their place in the queue (the turn hooks put it in the turn's replies instead).
   */
  async begin(conversation: Conversation, reason: string, info: BeginInfo & { tell?: boolean }): Promise<Handoff> {
    const { store, handoffs, logger } = this.options;
    const id = randomUUID();
    const now = this.now();
    const priority = PRIORITY_OF[info.trigger];
    const queue = this.queueOf(conversation, info.before, info.trigger, reason);
    const flows = this.options.flows(conversation.state);
    const context = await buildContext(store, handoffs, this.options.customerOf, {
      id, conversation, trigger: info.trigger, reason, priority, queue, before: info.before, knowledge: info.knowledge ?? [], flows, now,
      ...(this.options.summaries ? { summary: { ...this.options.summaries, logger } } : {}),
    });
    const { handoff, created } = await handoffs.insert({ id, conversationId: conversation.id, queue, trigger: info.trigger, reason, priority, context, createdAt: now });
    if (!created) return handoff;
    logger.info({ handoffId: id, conversationId: conversation.id, trigger: info.trigger, priority }, 'handoff opened');
    const closed = this.hours.closedNotice(queue, context.customer.locale ?? undefined);
    // Outside opening hours the customer was told when a person is back and offered to leave a message: once.
    if (closed) await handoffs.markOffered(id);
    if (info.tell) {
      const position = await handoffs.position(handoff);
      await this.tell(conversation, [closed ?? notice('queued', context.customer.locale ?? undefined, { n: position })], handoff);
    }
    await this.enqueue(handoff);
    return handoff;
  }

  /** Puts the handoff on the queue; when Redis is down the monitor enqueues it later. */
  async enqueue(handoff: Handoff): Promise<boolean> {
    try {
      await this.options.queue.add(handoff.id, handoff.priority);
      return true;
    } catch (error) {
      this.options.logger.warn({ handoffId: handoff.id, err: error instanceof Error ? error.message : String(error) }, 'handoff not enqueued yet');
      return false;
    }
  }

  /**
   * The queue's job: show the handoff on every desk. Throws (so the job is retried) when a desk fails. The worker
   * runs several jobs at once: their reads and their marks are each one statement (src/infra/batch.ts).
   */
  async announce(handoffId: string): Promise<void> {
    const handoff = await this.announcing(handoffId);
    if (!handoff || handoff.status === 'resolved') return;
    await this.options.desks.announce(handoff);
    await this.announced(handoff.id);
  }

  private readonly announcing = batched((ids: string[]) => this.options.handoffs.getMany(ids));
  private readonly announced = batched(async (ids: string[]) => {
    await this.options.handoffs.markAnnounced(...ids);
    return new Map<string, void>();
  });

  async claim(handoffId: string, agent: AgentIdentity): Promise<Handoff> {
    const { handoffs } = this.options;
    const before = await this.require(handoffId);
    const claimed = await handoffs.claim(handoffId, agent);
    if (!claimed) throw new ParleyError('CONFLICT', before.status === 'resolved' ? 'this handoff is resolved' : `${before.agentName ?? 'another agent'} has claimed it`);
    if (before.status === 'waiting') await this.assigned(claimed);
    return claimed;
  }

  /** Tells the customer who has their conversation now, and every desk. */
  async assigned(handoff: Handoff): Promise<void> {
    const conversation = await this.conversation(handoff);
    await this.tell(conversation, [notice('agentJoined', handoff.context.customer.locale ?? undefined, { name: handoff.agentName ?? '' })], handoff);
    await this.options.desks.changed(handoff);
  }

  /** Gives the handoff to `to` (an agent of its queue, checked by the caller), whoever had it. */
  async assign(handoffId: string, to: AgentIdentity): Promise<Handoff> {
    const before = await this.require(handoffId);
    if (before.status === 'claimed' && before.agentId === to.id) return before;
    const assigned = await this.options.handoffs.assign(handoffId, to);
    if (!assigned) throw new ParleyError('CONFLICT', 'this handoff is resolved');
    this.options.logger.info({ handoffId, agentId: to.id }, 'handoff assigned');
    await this.assigned(assigned);
    return assigned;
  }

  /**
   * Moves the handoff to another queue, where it waits for an agent of that queue (the customer keeps their place in
   * line by time). The customer is told once that they are passed to a colleague; the queue notices start over.
   */
  async transfer(handoffId: string, queue: string): Promise<Handoff> {
    const before = await this.require(handoffId);
    if (before.queue === queue && before.status === 'waiting') return before;
    const moved = await this.options.handoffs.transfer(handoffId, queue);
    if (!moved) throw new ParleyError('CONFLICT', 'this handoff is resolved');
    this.options.logger.info({ handoffId, from: before.queue, to: queue }, 'handoff transferred');
    await this.tell(await this.conversation(moved), [notice('transferred', moved.context.customer.locale ?? undefined)], moved);
    await this.options.desks.changed(moved);
    return moved;
  }

  /**
   * Sends an agent's reply to the customer on the customer's channel (through the outbox). `key` makes it
   * idempotent: the same key (the console's message id, Slack's event id) stores and sends it once.
   */
  async reply(handoffId: string, agent: AgentIdentity, key: string, text: string, origin?: string): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.length > MAX_AGENT_REPLY) throw new ParleyError('BAD_REQUEST', `a reply must have 1 to ${MAX_AGENT_REPLY} characters`);
    let handoff = await this.require(handoffId);
    if (handoff.status === 'resolved') throw new ParleyError('CONFLICT', 'this handoff is resolved');
    if (handoff.status === 'waiting' || handoff.agentId !== agent.id) handoff = await this.claim(handoffId, agent);
    const conversation = await this.conversation(handoff);
    const stored = await this.options.handoffs.insertAgentReply(handoff, key, agent, conversation.channel, trimmed);
    if (!stored.duplicate) {
      this.options.dispatch(conversation, [stored.message]);
      await this.options.desks.line(handoff, toLine(stored.message, new Set([stored.message.id])), origin);
    }
    return stored;
  }

  /**
   * Resolves the handoff, in this order: the closing notice; then, when the conversation was not asked before, the
   * rating question with its buttons, as the last message (so a typed "5" answers it), and the bot's return point
   * follows the answer (resumeAfterRating); else the bot's return point at once.
   */
  async resolve(handoffId: string, agent: AgentIdentity, outcome: string): Promise<Handoff> {
    const { handoffs, store, lock } = this.options;
    const current = await this.require(handoffId);
    if (current.status === 'claimed' && current.agentId !== agent.id) throw new ParleyError('CONFLICT', `${current.agentName ?? 'another agent'} has claimed it`);
    // Turns take the lock by the conversation's address (src/inbox/conversation-lock.ts).
    const resolved = await lock.withLock(conversationLockKey(await this.conversation(current)), async () => {
      const done = await handoffs.resolve(handoffId, agent, outcome.trim().slice(0, 500) || 'resolved');
      if (!done) throw new ParleyError('CONFLICT', 'this handoff is resolved');
      const conversation = await this.conversation(done);
      const locale = conversation.state.locale ?? done.context.customer.locale ?? undefined;
      const ask = await this.options.askRating(conversation, done);
      const replies: NewOutbound[] = [notice('resolved', locale, { name: done.agentName ?? agent.name })];
      let state: ConversationState;
      if (ask) {
        replies.push({ ...notice('rateHelp', locale), buttons: ratingButtons() });
        state = { ...idleState(conversation.state), offered: ratingButtons() };
      } else {
        await handoffs.closeRating(done.id, null);
        const back = this.returnToBot(conversation.state, done);
        replies.push(...back.replies);
        state = back.state;
      }
      const committed = await store.commitTurn({
        conversationId: conversation.id,
        expectedVersion: conversation.version,
        state,
        mode: 'bot',
        inboundId: null,
        replies,
      });
      this.options.dispatch(committed.conversation, committed.replies);
      // The closing notice and the rating question are the handoff's notices; the bot's messages are the bot's.
      await handoffs.recordNotices(done.id, committed.replies.slice(0, ask ? 2 : 1).map((message) => message.id));
      return done;
    });
    this.options.logger.info({ handoffId, outcome: resolved.outcome }, 'handoff resolved');
    await this.options.desks.changed(resolved);
    return resolved;
  }

  /**
   * The bot's return point after the customer rated a resolved handoff: the `after_handoff` step of the flow the
   * handoff came from, else the menu (return-to-bot.ts).
   */
  async resumeAfterRating(conversation: Conversation, handoffId: string): Promise<{ replies: NewOutbound[]; state: ConversationState } | undefined> {
    const handoff = await this.options.handoffs.get(handoffId);
    return handoff ? this.returnToBot(conversation.state, handoff) : undefined;
  }

  private returnToBot(state: ConversationState, handoff: Handoff): { replies: NewOutbound[]; state: ConversationState } {
    const back = returnToBot(this.options.flows(state), state, handoff.context.flow.flow);
    return { replies: back.actions.flatMap((action) => (action.type === 'say' ? [action.message] : [])), state: back.state };
  }

  /** Forwards a customer's message in a conversation that is with a person to the desks. */
  async customerWrote(conversation: Conversation, inboundId: string): Promise<void> {
    const handoff = await this.options.handoffs.openFor(conversation.id);
    if (!handoff) return;
    const before = BigInt(inboundId) - 1n;
    const [message] = await this.options.store.transcript(conversation.id, { ...(before > 0n ? { afterId: String(before) } : {}), limit: 1 });
    if (message?.id === inboundId) await this.options.desks.line(handoff, toLine(message, new Set()));
  }

  /**
   * Stores messages Parley sends on its own (queue notices) and hands them to the outbox. With the handoff they are
   * about, they are recorded as its notices and shown to its agents as such.
   */
  async tell(conversation: Conversation, messages: NewOutbound[], handoff?: Handoff): Promise<void> {
    const stored: StoredMessage[] = [];
    for (const message of messages) stored.push(await this.options.store.insertOutbound(conversation.id, message));
    this.options.dispatch(conversation, stored);
    if (!handoff) return;
    await this.options.handoffs.recordNotices(handoff.id, stored.map((message) => message.id));
    for (const message of stored) await this.options.desks.notice(handoff, toLine(message, new Set()));
  }

  async conversation(handoff: Handoff): Promise<Conversation> {
    const conversation = await this.options.store.getConversation(handoff.conversationId);
    if (!conversation) throw new ParleyError('NOT_FOUND', 'the conversation of this handoff is gone');
    return conversation;
  }

  private async require(handoffId: string): Promise<Handoff> {
    const handoff = await this.options.handoffs.get(handoffId);
    if (!handoff) throw new ParleyError('NOT_FOUND', `no handoff ${handoffId}`);
    return handoff;
  }
}
