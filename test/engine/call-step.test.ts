import { describe, expect, it } from 'vitest';
import {
  BUILT_IN, MAX_EFFECTS_PER_TURN, runTurn, runWithEffects, type EffectRequest, type EffectResult,
} from '../../src/engine/index.ts';
import { Chat, flowsFrom, issuesOf, yaml, type EffectAnswerer } from './helpers.ts';

const lookup = yaml`
  flow: lookup
  steps:
    - ask: "Order?"
      var: order
    - call: order_lookup
      with: { order: "{{order}}", verbose: true, page: 2 }
      save:
        status: data.status
        first: data.items[0].name
        city: data.address.city
        missing: data.nope
        whole: data.items
      timeout: 3s
      on_error:
        - say: "Lookup failed ({{call_error}})."
        - end: true
    - say: "{{order}} is {{status}}; first item {{first}} to {{city}}."
`;
const order = { status: 'shipped', items: [{ name: 'Wave 700' }], address: { city: 'Springfield' } };
const ok = (data: unknown): EffectAnswerer => () => ({ kind: 'call', ok: true, status: 200, data });

describe('call step', () => {
  it('stops the turn with an effect request, and resumes at the step with the result', () => {
    const flows = flowsFrom({ 'lookup.yaml': lookup });
    const asked = runTurn(flows, { vars: {} }, { payload: 'lookup' });
    const stopped = runTurn(flows, asked.state, { text: ' BW-1 ' });
    expect(stopped.actions).toEqual([
      { type: 'effect', request: { kind: 'call', endpoint: 'order_lookup', params: { order: 'BW-1', verbose: true, page: 2 }, timeoutMs: 3000 } },
    ]);
    expect(stopped.state.pendingEffect).toEqual({ flow: 'lookup', step: '#2' });
    expect(stopped.state.vars.last_message).toBe('BW-1');
    expect(stopped.state.awaiting).toBeUndefined();
    const resumed = runTurn(flows, stopped.state, { effect: { kind: 'call', ok: true, status: 200, data: order } });
    expect(resumed.actions[0]).toEqual({ type: 'say', message: { text: 'BW-1 is shipped; first item Wave 700 to Springfield.' } });
    expect(resumed.state.pendingEffect).toBeUndefined();
    expect(resumed.state.vars).toEqual({ order: 'BW-1', status: 'shipped', first: 'Wave 700', city: 'Springfield', missing: null, whole: null });
  });

  it('a failed call records why in call_error and takes on_error; a later good call clears it', () => {
    const chat = new Chat(flowsFrom({ 'lookup.yaml': lookup }), undefined, () => ({ kind: 'call', ok: false, status: 503, error: 'http_503' }));
    chat.send({ payload: 'lookup' });
    expect(chat.send('BW-1')).toEqual(['Lookup failed (http_503).']);
    expect(chat.state.vars.call_error).toBe('http_503');
    const again = new Chat(chat.flows, chat.state, ok(order));
    again.send({ payload: 'lookup' });
    again.send('BW-2');
    expect(again.state.vars).not.toHaveProperty('call_error');
  });

  it('without on_error, a failed call apologises and ends the flow', () => {
    const flows = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - call: x\n  - say: never\n' });
    const chat = new Chat(flows, undefined, () => ({ kind: 'call', ok: false, error: 'timeout' }));
    expect(chat.send({ payload: 'a' })).toEqual([BUILT_IN.callFailed]);
    expect(chat.state.flow).toBeUndefined();
    expect(chat.requests).toEqual([{ kind: 'call', endpoint: 'x', params: {}, timeoutMs: 5000 }]);
  });

  it('runs several calls in one turn, in order', () => {
    const flows = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - call: one\n    save: { a: data }\n  - call: two\n    save: { b: data }\n  - say: "{{a}} {{b}}"\n' });
    const chat = new Chat(flows, undefined, (request) => ({ kind: 'call', ok: true, data: request.kind === 'call' ? request.endpoint : null }));
    expect(chat.send({ payload: 'a' })).toEqual(['one two']);
    expect(chat.requests.map((r) => (r.kind === 'call' ? r.endpoint : ''))).toEqual(['one', 'two']);
  });

  it.each([
    ['timeout: 45s', '5:14 timeout must be between 100ms and 30s'],
    ['timeout: soon', "5:14 timeout 'soon' must be a duration like 3s or 500ms"],
    ['save: { s: status }', "5:16 s 'status' must be a path into the answer, like data.status or data.items[0].name"],
    ['with: { url: "https://evil.example" }\n    unknown: 1', "6:5 unknown key 'unknown'"],
  ])('a mistake in a call step is reported where it is: %s', (line, problem) => {
    const source = `flow: a\nsteps:\n  - say: hi\n  - call: x\n    ${line}\n`;
    const [issue] = issuesOf(() => flowsFrom({ 'a.yaml': source }));
    expect(`${issue!.line}:${issue!.col} ${issue!.message}`).toBe(problem);
  });
});

describe('runWithEffects', () => {
  const looping = flowsFrom({ 'loop.yaml': 'flow: loop\nsteps:\n  - id: again\n    call: x\n  - goto: again\n' });

  it(`performs at most ${MAX_EFFECTS_PER_TURN} effects per turn, then apologises and leaves the conversation idle`, async () => {
    const performed: EffectRequest[] = [];
    const result = await runWithEffects((state, input) => runTurn(looping, state, input), { vars: {} }, { payload: 'loop' }, async (request) => {
      performed.push(request);
      return { kind: 'call', ok: true, data: {} };
    });
    expect(performed).toHaveLength(MAX_EFFECTS_PER_TURN);
    expect(result.actions.at(-1)).toEqual({ type: 'say', message: { text: BUILT_IN.loop } });
    expect(result.actions.filter((a) => a.type === 'effect')).toHaveLength(MAX_EFFECTS_PER_TURN);
    expect(result.state.pendingEffect).toBeUndefined();
    expect(result.state.flow).toBeUndefined();
  });

  it('a performer that throws counts as a failed effect', async () => {
    const flows = flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - call: x\n    on_error: { say: "Failed: {{call_error}}" }\n' });
    const result = await runWithEffects((state, input) => runTurn(flows, state, input), { vars: {} }, { payload: 'a' }, async (): Promise<EffectResult> => {
      throw new Error('boom');
    });
    expect(result.actions.filter((a) => a.type === 'say')).toEqual([{ type: 'say', message: { text: 'Failed: failed' } }]);
  });

  it('a new message while an effect was pending (an interrupted turn) is handled afresh', () => {
    const flows = flowsFrom({ 'lookup.yaml': lookup, 'hi.yaml': 'flow: hi\ntriggers: { keywords: [hello] }\nsteps:\n  - say: Hi\n' });
    const asked = runTurn(flows, { vars: {} }, { payload: 'lookup' });
    const stopped = runTurn(flows, asked.state, { text: 'BW-1' });
    expect(runTurn(flows, stopped.state, { text: 'hello' }).actions[0]).toEqual({ type: 'say', message: { text: 'Hi' } });
  });
});
