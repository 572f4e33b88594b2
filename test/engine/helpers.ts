import { expect } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import type { Button } from '../../src/core/message.ts';
import {
  buildFlowSet, initialState, runTurn,
  type ConversationState, type EngineAction, type FlowIssue, type FlowSet, type TurnInput,
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

/** A conversation as a customer sees it: send something, read the bot's replies. */
export class Chat {
  state: ConversationState;
  actions: EngineAction[] = [];

  constructor(readonly flows: FlowSet, state: ConversationState = initialState()) {
    this.state = state;
  }

  turn(input: TurnInput): EngineAction[] {
    const result = runTurn(this.flows, this.state, input);
    this.state = result.state;
    this.actions = result.actions;
    return result.actions;
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
