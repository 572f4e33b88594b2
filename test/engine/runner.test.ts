import { describe, expect, it } from 'vitest';
import {
  BUILT_IN, MAX_STEPS_PER_TURN, flowSetVersion, initialState, runTurn, type ConversationState,
} from '../../src/engine/index.ts';
import { Chat, flowsFrom, yaml } from './helpers.ts';

const order = yaml`
  flow: order
  triggers: { keywords: [order] }
  steps:
    - ask: "Order number?"
      var: number
      buttons: [{ title: "I don't know", payload: human }]
    - say: "Order {{number}}."
`;
const menu = 'flow: menu\ninterrupts: true\ntriggers: { keywords: [menu], payloads: [main] }\nsteps:\n  - say: Menu\n';
const human = 'flow: human\nsteps:\n  - handoff: asked\n';
const refund = 'flow: refund\ntriggers: { keywords: [refund] }\nsteps:\n  - say: Refunds\n';
const flows = flowsFrom({ 'order.yaml': order, 'menu.yaml': menu, 'human.yaml': human, 'refund.yaml': refund });

function waitingChat(): Chat {
  const chat = new Chat(flows);
  expect(chat.send('my order')).toEqual(['Order number?']);
  return chat;
}

describe('while an ask waits', () => {
  it('a message that is exactly a keyword of an interrupts flow switches to it', () => {
    const chat = waitingChat();
    expect(chat.send(' Menu! ')).toEqual(['Menu']);
    expect(chat.state.awaiting).toBeUndefined();
  });

  it('a longer message, or a keyword of a flow without interrupts, is the answer', () => {
    const chat = waitingChat();
    expect(chat.send('menu 42')).toEqual(['Order menu 42.']);
    const other = waitingChat();
    expect(other.send('refund')).toEqual(['Order refund.']);
  });

  it('a pressed button that starts another flow switches to it', () => {
    const chat = waitingChat();
    expect(chat.send({ payload: 'main' })).toEqual(['Menu']);
  });

  it("the ask's own button is an answer even when its payload names a flow", () => {
    const chat = waitingChat();
    expect(chat.send({ payload: 'human' })).toEqual(['Order human.']);
    expect(chat.handoffs()).toEqual([]);
    const typed = waitingChat();
    expect(typed.send('1')).toEqual(['Order human.']);
  });

  it('an ask that no longer exists after a reload is dropped, and the message handled afresh', () => {
    const chat = waitingChat();
    const reloaded = flowsFrom({ 'order.yaml': 'flow: order\nsteps:\n  - say: Changed\n', 'refund.yaml': refund });
    expect(reloaded.version).not.toBe(flows.version);
    const result = runTurn(reloaded, chat.state, { text: 'refund' });
    expect(result.actions).toEqual([{ type: 'say', message: { text: 'Refunds' } }, { type: 'end' }]);
    expect(result.state.flowVersion).toBe(reloaded.version);
  });
});

describe('loop guard', () => {
  it(`stops after ${MAX_STEPS_PER_TURN} steps with one apology, idle, variables as before the turn`, () => {
    const loop = flowsFrom({
      'loop.yaml': 'flow: loop\nsteps:\n  - set: { spun: true }\n  - id: again\n    say: Again\n  - goto: again\n',
    });
    const before: ConversationState = { vars: { name: 'Ana' } };
    const result = runTurn(loop, before, { payload: 'loop' });
    expect(result.actions).toEqual([{ type: 'say', message: { text: BUILT_IN.loop } }]);
    expect(result.state).toEqual({ vars: { name: 'Ana' }, flowVersion: loop.version });
  });

  it('also catches flows that jump to each other', () => {
    const pingPong = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - goto: b\n', 'b.yaml': 'flow: b\nsteps:\n  - goto: a\n' });
    expect(runTurn(pingPong, initialState(), { payload: 'a' }).actions).toEqual([{ type: 'say', message: { text: BUILT_IN.loop } }]);
  });
});

describe('purity', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
      Object.values(value).forEach(deepFreeze);
      Object.freeze(value);
    }
    return value;
  }

  it('never mutates the state it is given, and gives the same result for the same input', () => {
    const chat = waitingChat();
    const state = deepFreeze(structuredClone({ ...chat.state, offered: [{ title: 'x', payload: 'y' }] }));
    const snapshot = JSON.stringify(state);
    const first = runTurn(flows, state, { text: 'BW-1' });
    const second = runTurn(flows, state, { text: 'BW-1' });
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(second).toEqual(first);
    expect(first.actions[0]).toEqual({ type: 'say', message: { text: 'Order BW-1.' } });
  });

  it('hands out copies, so changing the result cannot change the flows', () => {
    const chat = waitingChat();
    const buttons = chat.actions[0]!.type === 'say' ? chat.actions[0]!.message.buttons! : [];
    buttons[0]!.title = 'changed';
    chat.state.offered![0]!.payload = 'changed';
    expect(new Chat(flows).replies('order')).toEqual([{ text: 'Order number?', buttons: ["I don't know"] }]);
  });
});

describe('flowSetVersion', () => {
  it('ignores file names and comments, and changes with what the flows do', () => {
    const a = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: hi\n' });
    const renamed = flowsFrom({ 'other/b.yml': '# a comment\nflow: a\nsteps:\n  - say: "hi"\n' });
    const changed = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: hello\n' });
    expect(flowSetVersion(renamed)).toBe(a.version);
    expect(flowSetVersion(changed.flows)).not.toBe(a.version);
  });
});
