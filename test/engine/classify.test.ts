import { describe, expect, it } from 'vitest';
import { CLASSIFY_MIN_CONFIDENCE, runTurn, type EffectResult } from '../../src/engine/index.ts';
import { Chat, flowsFrom, yaml, type EffectAnswerer } from './helpers.ts';

const flows = flowsFrom({
  'returns.yaml': yaml`
    flow: returns
    description: Sending a product back for a refund.
    triggers:
      keywords: [refund]
      examples: [I want to send this back]
    steps:
      - ask: "Which order?"
        var: order
      - say: "Return started for {{order}}."
  `,
  'hours.yaml': yaml`
    flow: hours
    description: Opening hours.
    triggers:
      keywords: [hours]
      payloads: [show_hours]
    steps:
      - say: "We open at 9."
        buttons: [{ title: Returns, payload: returns }]
  `,
  'hidden.yaml': 'flow: hidden\nsteps:\n  - say: "no description, no examples"\n',
  'fallback.yaml': yaml`
    flow: fallback
    description: Anything else.
    triggers:
      fallback: true
    steps:
      - say: "Fallback for: {{last_message}}"
  `,
});

const choose = (flow: string | null, confidence: number): EffectAnswerer => (request) =>
  request.kind === 'classify' ? { kind: 'classify', flow, confidence } : { kind: 'call', ok: false, error: 'unexpected' };

describe('classifying free text that matches no trigger', () => {
  it('asks for a classify effect, with the flows that have a description or examples, instead of the fallback', () => {
    const result = runTurn(flows, { vars: {}, offered: [{ title: 'Hours', payload: 'hours' }] }, { text: ' my parcel came broken, jane@example.com ', classify: true });
    expect(result.actions).toEqual([{
      type: 'effect',
      request: {
        kind: 'classify',
        text: 'my parcel came broken, jane@example.com',
        candidates: [
          { flow: 'hours', description: 'Opening hours.', examples: [] },
          { flow: 'returns', description: 'Sending a product back for a refund.', examples: ['I want to send this back'] },
        ],
      },
    }]);
    expect(result.state.pendingEffect).toEqual({ classify: true });
    expect(result.state.flow).toBeUndefined();
    expect(result.state.vars.last_message).toBe('my parcel came broken, jane@example.com');
    expect(result.state.offered).toEqual([{ title: 'Hours', payload: 'hours' }]);
  });

  it('a confident choice starts that flow', () => {
    const chat = new Chat(flows, undefined, choose('returns', 0.8));
    expect(chat.send({ text: 'my parcel came broken', classify: true })).toEqual(['Which order?']);
    expect(chat.requests.map((r) => r.kind)).toEqual(['classify']);
    expect(chat.state).toMatchObject({ flow: 'returns', awaiting: { flow: 'returns' } });
    expect(chat.state.pendingEffect).toBeUndefined();
    expect(chat.state.vars).not.toHaveProperty('last_message');
    expect(chat.send({ text: 'BW-1', classify: true })).toEqual(['Return started for BW-1.']);
  });

  it.each<[string, EffectResult]>([
    ['low confidence', { kind: 'classify', flow: 'returns', confidence: CLASSIFY_MIN_CONFIDENCE - 0.01 }],
    ['no flow', { kind: 'classify', flow: null, confidence: 0.9 }],
    ['an unknown flow', { kind: 'classify', flow: 'nope', confidence: 0.9 }],
    ['a flow that was not offered (the fallback itself)', { kind: 'classify', flow: 'fallback', confidence: 0.9 }],
    ['a flow that was not offered (no description or examples)', { kind: 'classify', flow: 'hidden', confidence: 0.9 }],
    ['a failure', { kind: 'classify', flow: null, confidence: 0, error: 'failed' }],
    ['a result of another kind', { kind: 'call', ok: false, error: 'failed' }],
  ])('%s runs the fallback as without a classifier, with the message', (_name, result) => {
    const chat = new Chat(flows, undefined, () => result);
    expect(chat.send({ text: 'my parcel came broken', classify: true })).toEqual(['Fallback for: my parcel came broken']);
    expect(chat.state.pendingEffect).toBeUndefined();
    expect(chat.state.flow).toBeUndefined();
  });

  it('exactly CLASSIFY_MIN_CONFIDENCE is enough', () => {
    const chat = new Chat(flows, undefined, choose('hours', CLASSIFY_MIN_CONFIDENCE));
    expect(chat.send({ text: 'when can I come by', classify: true })).toEqual(['We open at 9.']);
  });

  it.each<[string, { text?: string; payload?: string }, string[]]>([
    ['a keyword', { text: 'refund please' }, ['Which order?']],
    ['an example', { text: 'I want to send this back' }, ['Which order?']],
    ['a payload', { payload: 'show_hours' }, ['We open at 9.']],
  ])('%s never reaches the classifier', (_name, input, replies) => {
    const chat = new Chat(flows, undefined, choose('hidden', 1));
    expect(chat.send({ ...input, classify: true })).toEqual(replies);
    expect(chat.requests).toEqual([]);
  });

  it('a typed button title or number, and an answer to a waiting question, never reach it either', () => {
    const chat = new Chat(flows, undefined, choose('hours', 1));
    chat.send({ payload: 'hours' });
    expect(chat.send({ text: '1', classify: true })).toEqual(['Which order?']);
    expect(chat.send({ text: 'something unrelated entirely', classify: true })).toEqual(['Return started for something unrelated entirely.']);
    chat.send({ payload: 'hours' });
    expect(chat.send({ text: 'Returns', classify: true })).toEqual(['Which order?']);
    expect(chat.requests).toEqual([]);
  });

  it('without classify, or with no flow to choose, no effect is asked for: the fallback runs as before', () => {
    const chat = new Chat(flows, undefined, choose('returns', 1));
    expect(chat.send('my parcel came broken')).toEqual(['Fallback for: my parcel came broken']);
    expect(chat.requests).toEqual([]);
    const bare = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: A\n', 'f.yaml': 'flow: f\ntriggers: { fallback: true }\nsteps:\n  - say: F\n' });
    expect(runTurn(bare, { vars: {} }, { text: 'anything', classify: true }).actions).toEqual([{ type: 'say', message: { text: 'F' } }, { type: 'end' }]);
  });

  it('with no fallback flow, an unchosen message gets the built-in apology', () => {
    const noFallback = flowsFrom({ 'hours.yaml': 'flow: hours\ndescription: Opening hours.\nsteps:\n  - say: "We open at 9."\n' });
    const asked = runTurn(noFallback, { vars: {} }, { text: 'purple elephants', classify: true });
    expect(asked.actions.map((a) => a.type)).toEqual(['effect']);
    const resumed = runTurn(noFallback, asked.state, { effect: { kind: 'classify', flow: null, confidence: 0 } });
    expect(resumed.actions).toHaveLength(1);
    expect(resumed.actions[0]).toMatchObject({ type: 'say' });
    expect(resumed.state.pendingEffect).toBeUndefined();
  });
});
