/**
 * The handoff triggers, as hooks of the turn pipeline: the customer asking for a person (before the engine, in any
 * words), frustration (anger, the same question again), the knowledge base declining twice in a row, an ask
 * failing its retries, a flow's handoff step. Each records why. (The rating after a resolved handoff is taken by
 * src/analytics' rating hooks, which run before these.)
 */
import { asksFor } from '../core/understanding.ts';
import { BUILT_IN_PAYLOADS } from '../engine/messages.ts';
import type { FlowSet } from '../engine/model.ts';
import type { ConversationState, EngineAction, TurnResult } from '../engine/types.ts';
import type { HandoffListener } from '../inbox/inbox.ts';
import type { TurnHooks, TurnOverride } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation } from '../store/types.ts';
import type { HandoffTrigger, KnowledgeRecord } from './context.ts';
import { angerLevel, isRepeatedQuestion, questionKey } from './frustration.ts';
import type { HandoffService } from './handoff-service.ts';
import type { KnowledgeTap } from './knowledge-tap.ts';
import { notice } from './notices.ts';
import { detectPersonRequest, PERSON_INTENT } from './person-request.ts';
import type { SignalStore, TurnSignals } from './turn-signals.ts';

export interface HandoffHooksOptions {
  service: HandoffService;
  signals: SignalStore;
  /** Present when the knowledge base is wrapped, so the context can show its articles and scores. */
  tap?: KnowledgeTap;
  /** Payload of the flow that hands over when the customer asks for a person (the demo's `human`); it says it best. */
  personPayload?: string;
  flows: (state: ConversationState) => FlowSet;
  logger: Logger;
}

/** Frustration points within the last five turns that hand over. */
const FRUSTRATION_LIMIT = 2;
/** Declines of the knowledge base in a row that hand over. */
const KB_DECLINE_LIMIT = 2;

interface Pending {
  trigger: HandoffTrigger;
  before: ConversationState;
  knowledge: KnowledgeRecord[];
}

type Reply = Extract<TurnOverride, { kind: 'reply' }>;

export function createHandoffHooks(options: HandoffHooksOptions): { hooks: TurnHooks; onHandoff: HandoffListener } {
  const { service, signals } = options;
  // Why this turn hands over, from the hook that noticed to onHandoff, which runs after the commit of the same turn.
  const pending = new Map<string, Pending>();
  const locale = (conversation: Conversation) => conversation.state.locale ?? conversation.locale ?? undefined;

  /** The turn's replies, then the customer's place in the queue; the reason goes to onHandoff with the trigger. */
  async function handOver(conversation: Conversation, trigger: HandoffTrigger, reason: string, said: Reply['replies'], knowledge: KnowledgeRecord[], state?: ConversationState): Promise<Reply> {
    pending.set(conversation.id, { trigger, before: conversation.state, knowledge });
    const queued = await service.queuedNotice(conversation, trigger, reason);
    return { kind: 'reply', replies: [...said, queued], handoff: reason, ...(state ? { state } : {}) };
  }

  const hooks: TurnHooks = {
    async beforeEngine(conversation, input, unit) {
      // Left by a turn that failed after deciding to hand over: this turn decides afresh.
      pending.delete(conversation.id);
      if (input.event === 'start') return undefined;
      const text = input.text?.trim() ?? '';
      if (input.payload !== undefined && [BUILT_IN_PAYLOADS.person, options.personPayload].includes(input.payload)) {
        pending.set(conversation.id, { trigger: 'customer_request', before: conversation.state, knowledge: [] });
        return undefined;
      }
      if (text === '') return undefined;
      const sig = signals.get(unit);
      if (asksFor(input, PERSON_INTENT)) {
        const words = detectPersonRequest(text);
        const reason = words ? `the customer asked for a person ("${words.evidence}")` : 'the customer asked for a person';
        const payload = options.personPayload;
        if (payload && options.flows(conversation.state).payloads.has(payload)) {
          pending.set(conversation.id, { trigger: 'customer_request', before: conversation.state, knowledge: sig.knowledge });
          return { kind: 'redirect', input: { payload } };
        }
        return await handOver(conversation, 'customer_request', reason, [notice('handingOff', locale(conversation))], sig.knowledge);
      }
      const anger = angerLevel(text);
      const repeated = !conversation.state.awaiting && isRepeatedQuestion(text, sig.recent);
      const strikes = [...sig.strikes, anger + (repeated ? 1 : 0)].slice(-5);
      const next: TurnSignals = { ...sig, recent: [...sig.recent, questionKey(text)].slice(-5), strikes };
      if (anger === 2 || strikes.reduce((a, b) => a + b, 0) >= FRUSTRATION_LIMIT) {
        signals.clear(unit);
        const why = [anger > 0 ? 'angry words' : '', repeated ? 'the same question again' : '', anger === 0 && !repeated ? 'frustration over several messages' : '']
          .filter(Boolean).join(' and ');
        return await handOver(conversation, 'frustration', `the customer is frustrated (${why})`, [notice('frustrated', locale(conversation))], sig.knowledge);
      }
      signals.set(unit, next);
      return undefined;
    },

    async afterEngine(conversation, _input, result, unit) {
      const asked = result.actions.flatMap((action) => (action.type === 'effect' && action.request.kind === 'answer' ? [action.request.question] : []));
      const handoff = result.actions.some((action) => action.type === 'handoff');
      if (asked.length === 0 && !handoff) return undefined;
      const sig = signals.get(unit);
      const records = asked.flatMap((question) => options.tap?.record(question) ?? []);
      let declines = sig.kbDeclines;
      for (const question of asked) {
        const record = records.find((r) => r.question === question);
        // Declined: understood, and the knowledge base had no answer. A message the understanding step was not sure
        // about was offered the closest candidates instead, and is not counted.
        const declined = record ? record.answer === null && !options.tap!.notUnderstood(question) : offersPerson(result.actions);
        declines = declined ? declines + 1 : 0;
      }
      const knowledge = [...sig.knowledge, ...records].slice(-3);
      if (handoff) {
        signals.clear(unit);
        const trigger = pending.get(conversation.id)?.trigger ?? flowTrigger(conversation.state, options.flows(conversation.state));
        const reason = result.actions.find((a): a is Extract<EngineAction, { type: 'handoff' }> => a.type === 'handoff')!.reason;
        return handOver(conversation, trigger, reason, sayings(result.actions), knowledge, result.state);
      }
      if (declines >= KB_DECLINE_LIMIT) {
        signals.clear(unit);
        const said = result.actions.flatMap((a) => (a.type === 'say' && !a.message.buttons?.some((b) => b.payload === BUILT_IN_PAYLOADS.person) ? [a.message] : []));
        const questions = knowledge.slice(-KB_DECLINE_LIMIT).map((r) => `"${r.question}"`).join(', ');
        const reason = `the knowledge base could not answer twice in a row${questions ? ` (${questions})` : ''}`;
        return await handOver(conversation, 'kb_declined', reason, [...said, notice('kbDeclined', locale(conversation))], knowledge, result.state);
      }
      signals.set(unit, { ...sig, kbDeclines: declines, knowledge });
      return undefined;
    },

    async committed(conversation, inboundId) {
      // onHandoff has taken what this turn noted; what is left (a person button whose flow did not hand over) is stale.
      pending.delete(conversation.id);
      if (conversation.mode !== 'human' || inboundId === null) return;
      await service.customerWrote(conversation, inboundId).catch((error: unknown) =>
        options.logger.warn({ conversationId: conversation.id, err: String(error) }, 'forwarding a customer message to the desks failed'));
    },
  };

  const onHandoff: HandoffListener = async (conversation, reason) => {
    // Told their place in the queue by the turn itself, unless the handoff came without the hooks noticing.
    const known = pending.get(conversation.id);
    pending.delete(conversation.id);
    await service.begin(conversation, reason, {
      trigger: known?.trigger ?? 'flow',
      before: known?.before ?? conversation.state,
      knowledge: known?.knowledge ?? [],
      tell: !known,
    });
  };

  return { hooks, onHandoff };
}

function sayings(actions: EngineAction[]): Reply['replies'] {
  return actions.flatMap((action) => (action.type === 'say' ? [action.message] : []));
}

/** The engine's built-in "not sure" message offers a person: the knowledge base declined. */
function offersPerson(actions: EngineAction[]): boolean {
  return actions.some((a) => a.type === 'say' && a.message.buttons?.some((b) => b.payload === BUILT_IN_PAYLOADS.person));
}

/** A flow's handoff after the customer answered an ask on its last try is an ask that failed its retries. */
function flowTrigger(before: ConversationState, flows: FlowSet): HandoffTrigger {
  const awaiting = before.awaiting;
  const step = awaiting ? flows.flows.get(awaiting.flow)?.steps.get(awaiting.step) : undefined;
  if (awaiting && step?.kind === 'ask' && awaiting.attempts + 1 > step.retries) return 'ask_failed';
  return 'flow';
}
