import { describe, expect, it } from 'vitest';
import { BUILT_IN, BUILT_IN_PAYLOADS, PERSON_BUTTON_REASON, runTurn } from '../../src/engine/index.ts';
import { Chat, flowsFrom, yaml, type EffectAnswerer } from './helpers.ts';

const fallback = yaml`
  flow: fallback
  triggers: { fallback: true }
  steps:
    - answer: true
    - say: "Anything else?"
`;
const knows = (confidence: number, sources = ['Returns policy', 'Returns policy', 'Warranty']): EffectAnswerer => (request) =>
  request.kind === 'answer'
    ? { kind: 'answer', confidence, answer: 'You have {{30}} days to return it.', sources }
    : { kind: 'call', ok: false, error: 'x' };

describe('answer step', () => {
  it('asks the knowledge base what the customer wrote, and says a confident answer with one line per source', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), undefined, knows(0.5));
    expect(chat.send('  How long can I return things?  ')).toEqual([
      'You have {{30}} days to return it.\n\nSource: Returns policy\nSource: Warranty',
      'Anything else?',
    ]);
    expect(chat.requests).toEqual([{ kind: 'answer', question: 'How long can I return things?' }]);
    expect(chat.state.vars).toEqual({});
  });

  it('passes on a decline with the article ranked closest, so the gap it leaves is recorded beside it', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), undefined, knows(0));
    const candidates = [
      { kind: 'flow' as const, id: 'returns', title: 'Returns', score: 0.4 },
      { kind: 'knowledge' as const, id: 'products/pulse-mini', title: 'Pulse Mini', score: 0.3 },
    ];
    chat.send({ text: 'pulse mini', understood: { decision: { kind: 'decline', confidence: 0.2, namesSubject: true }, candidates, why: 'test' } });
    expect(chat.requests).toEqual([{ kind: 'answer', question: 'pulse mini', understood: { article: null, confidence: 0.2, nearest: 'products/pulse-mini' } }]);
  });

  it('labels the sources in the conversation’s language', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), { vars: {}, locale: 'de' }, knows(0.9, ['Rückgabe']));
    expect(chat.send('Rückgabe?')[0]).toBe('You have {{30}} days to return it.\n\nQuelle: Rückgabe');
  });

  it('without on_unsure, an answer the knowledge base declined says the built-in "not sure" with rephrase and person buttons', () => {
    const declined: EffectAnswerer = (request) => (request.kind === 'answer' ? { kind: 'answer', confidence: 0.49, answer: null, sources: [] } : { kind: 'call', ok: false, error: 'x' });
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), undefined, declined);
    expect(chat.replies('How long can I return things?')).toEqual([{ text: BUILT_IN.unsure, buttons: ['Rephrase', 'Talk to a person'] }]);
    expect(chat.state.offered?.map((b) => b.payload)).toEqual([BUILT_IN_PAYLOADS.rephrase, BUILT_IN_PAYLOADS.person]);
    expect(chat.send('1')).toEqual(['Sure! Ask me again in other words, the more detail the better.']);
    chat.send('something vague');
    expect(chat.send('Talk to a person')).toEqual([
      "I'm passing you to a colleague, together with this conversation, so you won't have to repeat yourself.",
    ]);
    expect(chat.handoffs()).toEqual([PERSON_BUTTON_REASON]);
  });

  it('the built-in "Talk to a person" with nobody to take the conversation says so, and hands nothing over', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), { vars: { person_available: false, person_later: false } });
    expect(chat.send({ payload: BUILT_IN_PAYLOADS.person })).toEqual([expect.stringMatching(/^Sorry, there's no one from our team who can take this conversation here right now/)]);
    expect(chat.handoffs()).toEqual([]);
    const later = new Chat(flowsFrom({ 'fallback.yaml': fallback }), { vars: { person_available: false, person_later: true } });
    later.send({ payload: BUILT_IN_PAYLOADS.person });
    expect(later.handoffs()).toEqual([PERSON_BUTTON_REASON]);
  });

    it('an answer the knowledge base declined (null) is unsure whatever its confidence', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), undefined, () => ({ kind: 'answer', confidence: 0.99, answer: null, sources: [] }));
    expect(chat.send('hm?')).toEqual([BUILT_IN.unsure]);
  });

  it('takes on_unsure, with its own threshold, a templated question and save', () => {
    const flows = flowsFrom({
      'faq.yaml': yaml`
        flow: faq
        steps:
          - ask: "What about?"
            var: topic
          - answer: "Tell me about {{topic}}"
            min_confidence: 0.8
            save: kb_answer
            on_unsure: { goto: sorry }
          - say: "From the knowledge base: {{kb_answer}}"
          - end: true
          - id: sorry
            say: "I don't know about {{topic}}."
      `,
    });
    const unsure = new Chat(flows, undefined, knows(0.79));
    unsure.send({ payload: 'faq' });
    expect(unsure.send('drones')).toEqual(["I don't know about drones."]);
    expect(unsure.requests).toEqual([{ kind: 'answer', question: 'Tell me about drones' }]);
    const sure = new Chat(flows, undefined, knows(0.8));
    sure.send({ payload: 'faq' });
    expect(sure.send('returns')).toEqual(['From the knowledge base: You have {{30}} days to return it.']);
    expect(sure.state.vars.kb_answer).toBe('You have {{30}} days to return it.');
  });

  it('with nothing to ask (a button press), is unsure without asking the knowledge base', () => {
    const chat = new Chat(flowsFrom({ 'fallback.yaml': fallback }), undefined, knows(1));
    expect(chat.send({ payload: 'nothing-starts-this' })).toEqual([BUILT_IN.unsure]);
    expect(chat.requests).toEqual([]);
  });

  it('keeps the question in the state only while the answer is pending', () => {
    const flows = flowsFrom({ 'fallback.yaml': fallback });
    const stopped = runTurn(flows, { vars: {} }, { text: 'warranty?' });
    expect(stopped.state.vars).toEqual({ last_message: 'warranty?' });
    const done = runTurn(flows, stopped.state, { effect: { kind: 'answer', confidence: 0, answer: null, sources: [] } });
    expect(done.state.vars).toEqual({});
  });
});
