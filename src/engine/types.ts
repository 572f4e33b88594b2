import type { Button, OutboundMessage } from '../core/message.ts';
import type { Understood } from '../core/understanding.ts';

/** A value a flow can hold in a variable. */
export type VarValue = string | number | boolean | null;

/**
 * Where a conversation stands in its flows. Plain JSON: it is stored on the conversation row and must survive
 * a restart unchanged.
 */
export interface ConversationState {
  /** Active flow and step; both absent when the conversation is idle (between flows). */
  flow?: string;
  step?: string;
  vars: Record<string, VarValue>;
  /** Set while an `ask` step waits for the customer's answer. */
  awaiting?: { flow: string; step: string; attempts: number };
  /** Buttons last offered, so a typed "2" or a button's title resolves to its payload on any channel. */
  offered?: Button[];
  /** Version of the flow set the active flow was started on (content hash), for safe reloads. */
  flowVersion?: string;
  /** Set while the turn waits for an effect's result (see EffectRequest): the step that asked. */
  pendingEffect?: { flow: string; step: string };
  /** The conversation's language (BCP 47, e.g. `en`, `de`), from the channel or the customer's choice. */
  locale?: string;
  /**
   * Set while a question the customer asked on the side of a waiting ask is being answered and that answer waits for
   * an effect: the ask to ask again afterwards, its wrong answers so far, and whether the digression is the knowledge
   * base's answer alone (`answer`) or another flow (`flow`). See digression.ts.
   */
  resume?: Resume;
}

/** The ask a digression returns to. */
export interface Resume {
  flow: string;
  step: string;
  attempts: number;
  via: 'answer' | 'flow';
}

/** What the customer did this turn. */
export interface TurnInput {
  text?: string;
  payload?: string;
  /** `start`: a new conversation opened (before the customer wrote anything). */
  event?: 'start';
  /** The result of the effect the previous runTurn call of this turn asked for. */
  effect?: EffectResult;
  /**
   * What the understanding step decided for this turn's free text (src/understanding). With it, free text is
   * never matched by the engine itself: the decision starts a flow or the fallback's answer, or declines. Without
   * it (the engine on its own, in unit tests), the engine matches triggers itself (triggers.ts).
   */
  understood?: Understood;
}

export type EngineAction =
  | { type: 'say'; message: OutboundMessage }
  | { type: 'handoff'; reason: string }
  | { type: 'end' }
  | { type: 'effect'; request: EffectRequest };

export interface TurnResult {
  state: ConversationState;
  actions: EngineAction[];
}

/**
 * Work a turn needs from outside the engine (an HTTP call to the business, an answer from the knowledge base).
 * The engine stays pure: it stops at the step, returns `{ type: 'effect', request }` as its last action and
 * remembers the step in `state.pendingEffect`; the caller performs the request and runs the turn again with
 * `input.effect` set to the result, which continues from that step. All of it is one turn and one commit.
 */
export type EffectRequest =
  | {
      kind: 'call';
      /** Name of an endpoint declared in configuration; URLs and secrets never live in flow files. */
      endpoint: string;
      /** Values for the endpoint's placeholders and query/body, already templated. */
      params: Record<string, VarValue>;
      timeoutMs: number;
    }
  | {
      kind: 'answer';
      question: string;
      /**
       * Set when the question is the message the understanding step already decided on: answer from this article
       * with this confidence (null: the step was not sure, so the knowledge base declines) instead of ranking again.
       */
      understood?: { article: string | null; confidence: number; passage?: string; nearest?: string };
    };

export type EffectResult =
  | {
      kind: 'call';
      ok: boolean;
      status?: number;
      /** The parsed JSON answer, when ok. */
      data?: unknown;
      /** Why it failed: `timeout`, `http_<status>`, `network`, `invalid_json`, `not_configured`. */
      error?: string;
    }
  | {
      kind: 'answer';
      /** 0..1; the flow compares it with its threshold. */
      confidence: number;
      /** The composed answer, or null when the knowledge base declined. */
      answer: string | null;
      /** Titles of the articles the answer came from. */
      sources: string[];
    };

/** What the caller knows about the conversation an effect is for. */
export interface EffectContext {
  conversationId: string;
  /** The conversation's locale, when known (the knowledge base answers in it). */
  locale?: string;
}

/**
 * Performs an effect for the turn pipeline. Never throws: a failure is a result (`{ kind: 'call', ok: false,
 * error }`, an answer with confidence 0).
 */
export type EffectRunner = (request: EffectRequest, context: EffectContext) => Promise<EffectResult>;
