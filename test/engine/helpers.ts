import { expect } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import type { Button } from '../../src/core/message.ts';
import {
  buildFlowSet, initialState, runTurn,
  type ConversationState, type EffectRequest, type EffectResult, type EngineAction, type FlowIssue, type FlowSet, type TurnInput,
} from '../../src/engine/index.ts';

/** Inline YAML without the test's indentation: the first line of the template is line 1. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return text.split('\n').map((l) => l.slice(indent)).join('\n');
}

export function flowsFrom(files: Record<string, string>): FlowSet {
  return buildFlowSet(Object.entries(files).map(([file, source]) => ({ file, source })));
}

/** The problems a FLOW_INVALID error reports; fails the test when `run` does not throw one. */
export function issuesOf(run: () => unknown): FlowIssue[] {
  try {
    run();
  } catch (error) {
    if (isParleyError(error, 'FLOW_INVALID')) return error.details as FlowIssue[];
    throw error;
  }
  expect.fail('expected FLOW_INVALID');
}

export interface Reply {
  text: string;
  buttons: string[];
}

/** Answers an effect in a test, synchronously. */
export type EffectAnswerer = (request: EffectRequest) => EffectResult;

/** What Parley does with no endpoints, knowledge base or model: every call fails, every answer is unsure. */
export const noEffects: EffectAnswerer = (request) => {
  if (request.kind === 'call') return { kind: 'call', ok: false, error: 'not_configured' };
  return { kind: 'answer', confidence: 0, answer: null, sources: [] };
};

/**
 * A conversation as a customer sees it: send something, read the bot's replies. Effects are answered by
 * `effects` within the turn, as the inbox does; `requests` lists those of the last turn.
 */
export class Chat {
  state: ConversationState;
  actions: EngineAction[] = [];
  requests: EffectRequest[] = [];

  constructor(readonly flows: FlowSet, state: ConversationState = initialState(), readonly effects: EffectAnswerer = noEffects) {
    this.state = state;
  }

  turn(input: TurnInput): EngineAction[] {
    let result = runTurn(this.flows, this.state, input);
    const actions = [...result.actions];
    this.requests = [];
    for (let last = actions.at(-1); last?.type === 'effect'; last = actions.at(-1)) {
      this.requests.push(last.request);
      if (this.requests.length > 10) throw new Error('more than 10 effects in one turn');
      result = runTurn(this.flows, result.state, { effect: this.effects(last.request) });
      actions.push(...result.actions);
    }
    this.state = result.state;
    this.actions = actions;
    return actions;
  }

  /** Sends text (or a button press with `{ payload }`) and returns the texts of the replies. */
  send(input: string | TurnInput): string[] {
    return this.replies(input).map((reply) => reply.text);
  }

  replies(input: string | TurnInput): Reply[] {
    const actions = this.turn(typeof input === 'string' ? { text: input } : input);
    return actions.flatMap((action) =>
      action.type === 'say' ? [{ text: action.message.text, buttons: (action.message.buttons ?? []).map((b: Button) => b.title) }] : [],
    );
  }

  handoffs(): string[] {
    return this.actions.flatMap((action) => (action.type === 'handoff' ? [action.reason] : []));
  }

  ended(): boolean {
    return this.actions.some((action) => action.type === 'end');
  }
}
