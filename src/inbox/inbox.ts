import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AcceptedMessage, InboxPort, ReceiveOptions, ReceiveResult } from '../core/inbox-port.ts';
import { isParleyError, ParleyError } from '../core/errors.ts';
import type { Address, InboundMessage } from '../core/message.ts';
import type { Understood } from '../core/understanding.ts';
import { localizeNotice, normalizeLocale } from '../engine/localize.ts';
import { BUILT_IN_TEXTS } from '../engine/messages.ts';
import { failedEffect, runWithEffects, MAX_EFFECTS_PER_TURN } from '../engine/run-with-effects.ts';
import type { EffectRunner, EngineAction, TurnInput, TurnResult, ConversationState } from '../engine/types.ts';
import type { Logger } from '../infra/logger.ts';
import type { AcceptedInbound, Conversation, ConversationMode, NewOutbound, Store, StoredMessage, TurnReads } from '../store/types.ts';
import { conversationLockKey, type ConversationLock } from './conversation-lock.ts';
import type { InboundFacts, TurnFacts, TurnHooks, TurnOverride } from './turn-hooks.ts';
import { TurnUnit } from './turn-unit.ts';

/**
 * Runs one turn of a conversation's flow: the engine, behind whichever flow set is current. It may say which flows
 * and steps the run went through and which `handoff` step handed over (see src/analytics/flow-trace.ts); the turn's
 * facts carry them to the hooks.
 */
export type TurnRunner = (state: ConversationState, input: TurnInput) => TurnResult & { flows?: readonly string[]; steps?: readonly string[]; handoffStep?: string };

/** Where committed replies go to be delivered. */
export type ReplyDispatcher = (conversation: Conversation, replies: StoredMessage[]) => void;

/** Told when a turn hands the conversation to a person. */
export type HandoffListener = (conversation: Conversation, reason: string) => Promise<void> | void;

export interface InboxOptions {
  store: Store;
  lock: ConversationLock;
  runTurn: TurnRunner;
  dispatch: ReplyDispatcher;
  logger: Logger;
  /**
   * When absent nobody could take a handoff (no desk, or editors only): a handoff then tells the customer that no
   * person is available, and leaves the conversation with the bot instead of queueing it to nobody.
   */
  onHandoff?: HandoffListener;
  /** Extension points around each turn (src/handoff: asking for a person, frustration, ratings). */
  hooks?: TurnHooks;
  /** Performs the engine's effects (calls, knowledge base answers); absent: every effect fails as `not_configured`. */
  effects?: EffectRunner;
  /**
   * The understanding step: what a free-text message asks for, decided once before the hooks and the engine run
   * (src/understanding); `model: false` while a person has the conversation (only Parley's own requests matter then).
   * Absent: the hooks recognise their requests by their own words, and the engine matches triggers itself.
   */
  understand?: (state: ConversationState, text: string, options: { model: boolean }) => Promise<Understood>;
  /** Effects one turn may perform before the turn is stopped with an apology. Default MAX_EFFECTS_PER_TURN (5). */
  maxEffectsPerTurn?: number;
}

/**
 * The turn pipeline: resolve the customer and conversation, then under the conversation's lock store the message
 * (deduplicated on the channel's id) and run every pending turn of that conversation in the order it was accepted.
 */
export class Inbox implements InboxPort {
  private readonly active = new Set<Promise<unknown>>();
  private closing = false;
  /** Client addresses of messages this process accepted and has not run yet, by inbound id (see InboundFacts). */
  private readonly clientAddresses = new Map<string, string>();

  constructor(private readonly options: InboxOptions) {}

  receive(message: InboundMessage, receiveOptions: ReceiveOptions = {}): Promise<ReceiveResult> {
    return this.track(async () => {
      const { store, lock } = this.options;
      // A redelivery of a message already answered gets the same replies at once: queued behind the conversation's
      // lock, a channel retrying one message thousands of times would hold up the conversation's new messages.
      const answeredWhileBusy = async (): Promise<ReceiveResult | undefined> => {
        const answered = await store.answeredInbound(message.address.channel, message.externalId);
        return answered ? { inbound: answered, replies: await store.repliesTo(answered.id), duplicate: true } : undefined;
      };
      // The lock is keyed by the address, so it is taken before anything is read; then one statement stores the message
      // and reads what its turn needs (a first message resolves the customer and the conversation first).
      return lock.withLock(conversationLockKey(message.address), async () => {
        const accepted = (await store.acceptInbound(message)) ?? (await this.acceptFirst(message));
        const { inbound, duplicate } = accepted;
        if (!duplicate && message.clientAddress !== undefined) this.clientAddresses.set(inbound.id, message.clientAddress);
        if (!duplicate) receiveOptions.onAccepted?.(inbound);
        const ran = await this.drain(accepted.pending, { conversation: accepted.conversation, reads: accepted.reads });
        const replies = ran.replies.get(inbound.id) ?? (duplicate && inbound.status === 'processed' ? accepted.replies : await store.repliesTo(inbound.id));
        return { inbound, replies, duplicate, locale: withChannelLocale(ran.conversation).locale ?? null };
      }, answeredWhileBusy);
    });
  }

  /** The first message from a channel identity or at an address: the customer and the conversation made, then accepted. */
  private async acceptFirst(message: InboundMessage): Promise<AcceptedInbound> {
    const { store } = this.options;
    const customer = await store.resolveCustomer(message.address.channel, message.address.userId, message.profile);
    await store.resolveConversation(message.address, customer.id);
    const accepted = await store.acceptInbound(message);
    if (!accepted) throw new ParleyError('CONFLICT', `The conversation at ${message.address.channel}/${message.address.conversationId} vanished while a message was accepted`);
    return accepted;
  }

  open(address: Address, options: { profile?: { name?: string }; locale?: string } = {}): Promise<{ replies: AcceptedMessage[] }> {
    return this.track(async () => {
      const { store, lock } = this.options;
      const customer = await store.resolveCustomer(address.channel, address.userId, options.profile);
      const { conversation } = await store.resolveConversation(address, customer.id);
      return lock.withLock(conversationLockKey(address), async () => {
        const { conversation: current, reads } = await this.load(conversation.id, null);
        // Version 0 means no turn has ever run: greet exactly once, however many tabs open the chat.
        if (current.version !== 0) return { replies: [] };
        const opened = options.locale && !current.locale ? { ...current, locale: options.locale } : current;
        const { replies } = await this.runOne(opened, reads, null, { event: 'start' });
        return { replies };
      });
    });
  }

  async history(channel: string, conversationExternalId: string, limit = 200): Promise<AcceptedMessage[]> {
    const conversation = await this.options.store.findConversation(channel, conversationExternalId);
    if (!conversation) return [];
    return this.options.store.transcript(conversation.id, { limit, latest: true });
  }

  async locale(channel: string, conversationExternalId: string): Promise<string | null> {
    const conversation = await this.options.store.findConversation(channel, conversationExternalId);
    return conversation ? (withChannelLocale(conversation).locale ?? null) : null;
  }

  /** Finishes turns that a crashed process accepted but never ran. */
  async recover(limit = 100): Promise<number> {
    const { store, lock } = this.options;
    const ids = await store.conversationsWithPendingInbound(limit);
    for (const id of ids) {
      const conversation = await store.getConversation(id);
      if (!conversation) continue;
      await this.track(() => lock.withLock(conversationLockKey(conversation), async () => this.drain(await store.pendingInbound(id))));
    }
    return ids.length;
  }

  /** Refuses new turns and waits for the ones under way. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.active]);
  }

  private track<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new ParleyError('SHUTTING_DOWN', 'Parley is shutting down'));
    const promise = fn();
    this.active.add(promise);
    void promise.then(
      () => this.active.delete(promise),
      () => this.active.delete(promise),
    );
    return promise;
  }

  private async load(conversationId: string, inboundId: string | null): Promise<{ conversation: Conversation; reads: TurnReads }> {
    const loaded = await this.options.store.loadTurn(conversationId, inboundId);
    if (!loaded) throw new ParleyError('NOT_FOUND', 'conversation not found');
    return loaded;
  }

  /** Free text gets the understanding step's decision; its candidates and reasons go to the debug log, never the text. */
  private async understood(state: ConversationState, input: TurnInput, mode: ConversationMode, log: Logger): Promise<TurnInput> {
    const text = input.text?.trim() ?? '';
    if (!this.options.understand || text === '' || input.payload !== undefined || input.event) return input;
    const understood = await this.options.understand(state, text, { model: mode === 'bot' });
    log.debug({
      event: 'understood', decision: understood.decision, intent: understood.intent ?? null, candidates: understood.candidates.map(({ kind, id, score, meaning }) => ({ kind, id, score, ...(meaning === undefined ? {} : { meaning }) })),
      language: understood.language ?? null, why: understood.why,
    }, 'understood');
    return { ...input, understood };
  }

  /**
   * Runs the turns of these pending messages (one conversation's, oldest first). Must run under the conversation's
   * lock. The first turn uses what the caller read with the messages; each later one reads afresh (the turn before
   * it changed the conversation).
   */
  private async drain(pending: StoredMessage[], first?: { conversation: Conversation; reads: TurnReads }): Promise<{ replies: Map<string, StoredMessage[]>; conversation: Conversation }> {
    const replies = new Map<string, StoredMessage[]>();
    let loaded = first;
    let conversation = first?.conversation;
    for (const inbound of pending) {
      const { conversation: current, reads } = loaded ?? (await this.load(inbound.conversationId, inbound.id));
      loaded = undefined;
      const input: TurnInput = {};
      if (inbound.text !== null) input.text = inbound.text;
      if (inbound.payload !== null) input.payload = inbound.payload;
      const clientAddress = this.clientAddresses.get(inbound.id);
      try {
        const committed = await this.runOne(current, reads, inbound.id, input, clientAddress === undefined ? undefined : { clientAddress });
        replies.set(inbound.id, committed.replies);
        conversation = committed.conversation;
      } finally {
        this.clientAddresses.delete(inbound.id);
      }
    }
    return { replies, conversation: conversation! };
  }

  private async runOne(conversation: Conversation, reads: TurnReads, inboundId: string | null, received: TurnInput, facts?: InboundFacts) {
    const { store, logger } = this.options;
    const unit = new TurnUnit(reads);
    const started = performance.now();
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const log = logger.child({ conversationId: conversation.id, inboundId });
    let state = withChannelLocale(conversation);
    let mode: ConversationMode = conversation.mode;
    let replies: NewOutbound[] = [];
    let handoffReason: string | undefined;
    const flows: string[] = [];
    const steps: string[] = [];
    let handoffStep: string | undefined;
    const run: TurnRunner = (current, turnInput) => {
      const result = this.options.runTurn(current, turnInput);
      for (const name of result.flows ?? []) if (!flows.includes(name)) flows.push(name);
      for (const key of result.steps ?? []) if (!steps.includes(key)) steps.push(key);
      handoffStep = result.handoffStep ?? handoffStep;
      return result;
    };
    // Understood once, before the hooks: Parley's own requests are ranked with the flows and articles.
    const input = await this.understood(state, received, mode, log);
    const first = await this.options.hooks?.beforeTurn?.(conversation, input, inboundId, unit, facts);
    if (first) ({ state, replies } = fromOverride(first, state));
    // While a person has the conversation the bot says nothing of its own: the message is only recorded.
    else if (mode === 'bot') {
      const { effects, hooks } = this.options;
      const early = await hooks?.beforeEngine?.(conversation, input, unit);
      if (early?.kind === 'reply') ({ state, replies, handoffReason } = fromOverride(early, state));
      else {
        const engineInput = early?.input ?? input;
        // Effects run inside the turn, under its lock, and everything they lead to is committed once below.
        const result = await runWithEffects(run, state, engineInput, (request, current) =>
          effects ? effects(request, { conversationId: conversation.id, ...(current.locale ? { locale: current.locale } : {}) })
            : Promise.resolve(failedEffect(request, 'not_configured')),
        this.options.maxEffectsPerTurn ?? MAX_EFFECTS_PER_TURN);
        state = result.state;
        replies = toReplies(result.actions);
        handoffReason = result.actions.find((a): a is Extract<EngineAction, { type: 'handoff' }> => a.type === 'handoff')?.reason;
        const late = await hooks?.afterEngine?.(conversation, input, result, unit);
        if (late) ({ state, replies, handoffReason } = fromOverride(late, state));
      }
      if (handoffReason !== undefined && this.options.onHandoff) mode = 'human';
      else if (handoffReason !== undefined) replies = [...replies, { text: localizeNotice(BUILT_IN_TEXTS.noPerson, state.locale) }];
    }
    // What the turn did is known before it is committed: the parts' rows about it (analytics) go into the same commit.
    const durationMs = Math.round(performance.now() - started);
    const outcome = turnOutcome(handoffReason, mode, replies.length);
    const handedOverBy = handoffReason !== undefined && handoffStep !== undefined ? { handoffStep } : {};
    const turn: TurnFacts = { flows, steps, ...handedOverBy, replies: replies.length, outcome, durationMs, traceId, spanId };
    this.options.hooks?.beforeCommit?.({ ...conversation, state, mode }, inboundId, input, turn, unit);
    try {
      const committed = await store.commitTurn({
        conversationId: conversation.id,
        expectedVersion: conversation.version,
        state,
        mode,
        inboundId,
        replies,
        writes: unit.writes,
      });
      // One line per turn, OpenTelemetry-style ids and names, never what the customer wrote (docs/report.md).
      log.info({
        event: 'turn', trace_id: traceId, span_id: spanId, channel: conversation.channel, flow: state.flow ?? null, step: state.step ?? null,
        mode, outcome, replies: committed.replies.length, duration_ms: durationMs,
      }, 'turn committed');
      this.options.dispatch(committed.conversation, committed.replies);
      if (handoffReason !== undefined) {
        if (this.options.onHandoff) await this.options.onHandoff(committed.conversation, handoffReason);
        else log.warn('handoff requested but nobody could take it (no agent works a queue): the customer was told, the bot goes on');
      }
      await this.options.hooks?.committed?.(committed.conversation, inboundId, input, turn);
      return committed;
    } catch (error) {
      if (isParleyError(error, 'CONFLICT')) log.error('turn lost its lock: another process moved the conversation');
      log.warn({ event: 'turn', trace_id: traceId, span_id: spanId, channel: conversation.channel, outcome: 'failed', duration_ms: Math.round(performance.now() - started) }, 'turn failed');
      throw error;
    }
  }
}

/** What a turn came to, for its log line: `handoff`, `with_person` (recorded while a person has it), `replied`, `no_reply`. */
function turnOutcome(handoffReason: string | undefined, mode: ConversationMode, replies: number): TurnFacts['outcome'] {
  if (handoffReason !== undefined) return 'handoff';
  if (mode === 'human') return 'with_person';
  return replies > 0 ? 'replied' : 'no_reply';
}

/** The conversation's state, with the channel's locale when the customer has not chosen one yet. */
function withChannelLocale(conversation: Conversation): ConversationState {
  const state = conversation.state;
  if (state.locale || !conversation.locale) return state;
  return { ...state, locale: normalizeLocale(conversation.locale) };
}

function fromOverride(override: Extract<TurnOverride, { kind: 'reply' }>, state: ConversationState) {
  return { state: override.state ?? state, replies: override.replies, handoffReason: override.handoff };
}

function toReplies(actions: EngineAction[]): NewOutbound[] {
  return actions.flatMap((action) => (action.type === 'say' ? [action.message] : []));
}
