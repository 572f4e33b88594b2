import { describe, expect, it } from 'vitest';
import type { Understood } from '../../src/core/understanding.ts';
import { BUILT_IN_TEXTS } from '../../src/engine/messages.ts';
import type { EffectAnswerer } from './helpers.ts';
import { Chat, flowsFrom, noEffects, yaml } from './helpers.ts';

const returns = yaml`
  flow: returns
  triggers: { keywords: [return] }
  steps:
    - id: ask_condition
      ask: { en: "Which fits your item best?", de: "Was trifft zu?" }
      var: item_condition
      validate: choice
      buttons:
        - { title: { en: Still unopened, de: Originalverpackt }, payload: unopened }
        - { title: { en: "Opened, works fine", de: "Geöffnet, intakt" }, payload: opened }
        - { title: { en: Defective or damaged, de: Defekt/beschädigt }, payload: defective }
      retry: "Please pick one of the three options."
      retries: 1
      on_fail: { goto: human }
    - say: "Condition: {{item_condition}}."
`;
const order = yaml`
  flow: order_status
  triggers: { keywords: [order] }
  steps:
    - ask: "Your order number?"
      var: order_number
      validate: { type: pattern, pattern: "^BW-\\d{5}$" }
      retries: 1
      on_unknown:
        - say: "It is in your confirmation email."
        - end: true
    - say: "Looking up {{order_number}}."
`;
const feedback = yaml`
  flow: feedback
  triggers: { keywords: [feedback] }
  steps:
    - ask: "What went wrong?"
      var: problem
    - say: "Noted: {{problem}}"
`;
const survey = yaml`
  flow: survey
  triggers: { keywords: [survey] }
  steps:
    - ask: "Would you recommend us?"
      var: recommend
      validate: choice
      buttons: [{ title: "Yes", payload: "yes" }, { title: "No", payload: "no" }]
    - say: "Thanks: {{recommend}}."
`;
const contact = 'flow: contact\ntriggers: { keywords: [hours] }\nsteps:\n  - say: "We are open 9 to 6."\n  - end: true\n';
const human = 'flow: human\ninterrupts: true\ntriggers: { keywords: [agent] }\nsteps:\n  - say: "Passing you on."\n  - handoff: asked\n';
const fallback = yaml`
  flow: fallback
  triggers: { fallback: true }
  steps:
    - answer: true
      on_unsure: { goto: sorry }
    - say: "Does that answer your question?"
    - end: true
    - id: sorry
      say: "Sorry, no idea."
`;
const flows = flowsFrom({
  'returns.yaml': returns, 'order.yaml': order, 'feedback.yaml': feedback, 'survey.yaml': survey,
  'contact.yaml': contact, 'human.yaml': human, 'fallback.yaml': fallback,
});

const PROMPT = { text: 'Which fits your item best?', buttons: ['Still unopened', 'Opened, works fine', 'Defective or damaged'] };
const WARRANTY = 'Our warranty lasts 2 years from delivery.';

const knowledge = (article: string, confidence: number): Understood =>
  ({ decision: { kind: 'knowledge', article, confidence }, candidates: [], why: 'test' });
const flow = (name: string, confidence: number): Understood => ({ decision: { kind: 'flow', flow: name, confidence }, candidates: [], why: 'test' });
const declined: Understood = { decision: { kind: 'decline', confidence: 0.3 }, candidates: [], why: 'test' };

const kb: EffectAnswerer = (request) =>
  request.kind === 'answer' ? { kind: 'answer', confidence: 0.9, answer: WARRANTY, sources: ['Warranty'] } : noEffects(request);

function asking(start: string, effects: EffectAnswerer = kb, locale?: string): Chat {
  const chat = new Chat(flows, locale ? { vars: {}, locale } : undefined, effects);
  chat.send(start);
  expect(chat.state.awaiting).toBeDefined();
  return chat;
}

describe('a choice answered in other words', () => {
  it.each([
    ['they are opened but work fine', 'opened'],
    ['still sealed', 'unopened'],
    ['the thing won\'t turn on', 'defective'],
  ])('"%s" picks %s at once, with no retry', (text, payload) => {
    const chat = asking('return');
    expect(chat.send({ text, understood: declined })).toEqual([`Condition: ${payload}.`]);
  });

  it('works in German too, and "kaputt" is "Defekt/beschädigt"', () => {
    const chat = asking('return', kb, 'de');
    expect(chat.send('das Ding ist kaputt')).toEqual(['Condition: defective.']);
  });

  it('an answer that fits no option (or two equally) is still a wrong answer', () => {
    const chat = asking('return');
    expect(chat.send('it is blue')).toEqual(['Please pick one of the three options.']);
    expect(chat.state.awaiting?.attempts).toBe(1);
  });
});

describe('a question asked while a choice waits', () => {
  it('is answered from the knowledge base alone, then the same question is asked again with its buttons, and no retry is spent', () => {
    const chat = asking('return');
    const replies = chat.replies({ text: 'wait, how long is the warranty?', understood: knowledge('warranty/warranty-coverage', 0.9) });
    expect(replies).toEqual([{ text: `${WARRANTY}\n\nSource: Warranty`, buttons: [] }, PROMPT]);
    expect(chat.requests).toEqual([{ kind: 'answer', question: 'wait, how long is the warranty?', understood: { article: 'warranty/warranty-coverage', confidence: 0.9 } }]);
    expect(chat.state.awaiting).toEqual({ flow: 'returns', step: 'ask_condition', attempts: 0 });
    expect(chat.state.resume).toBeUndefined();
    expect(chat.handoffs()).toEqual([]);
    // One wrong answer is still only the first: the retry, not the way out.
    expect(chat.send('it is blue')).toEqual(['Please pick one of the three options.']);
    expect(chat.send({ payload: 'unopened' })).toEqual(['Condition: unopened.']);
  });

  it('keeps the wrong answers given before it', () => {
    const chat = asking('return');
    chat.send('it is blue');
    chat.send({ text: 'how long is the warranty?', understood: knowledge('warranty/warranty-coverage', 0.95) });
    expect(chat.state.awaiting?.attempts).toBe(1);
    expect(chat.send('still blue')).toEqual(['Passing you on.']);
  });

  it('below the high bar, a message that is no option is a wrong answer as before', () => {
    const chat = asking('return');
    expect(chat.send({ text: 'how long is the warranty?', understood: knowledge('warranty/warranty-coverage', 0.7) })).toEqual(['Please pick one of the three options.']);
  });

  it('when the knowledge base is not sure after all, says so briefly and asks again', () => {
    const chat = asking('return', noEffects);
    const replies = chat.replies({ text: 'how long is the warranty?', understood: knowledge('warranty/warranty-coverage', 0.9) });
    expect(replies).toEqual([{ text: BUILT_IN_TEXTS.asideUnsure.en, buttons: [] }, PROMPT]);
    expect(chat.state.awaiting?.attempts).toBe(0);
  });

  it('a question that names an option is still answered when the knowledge base is sure of it', () => {
    const chat = asking('return');
    const replies = chat.send({ text: 'is the warranty still valid once opened?', understood: knowledge('warranty/warranty-coverage', 0.9) });
    expect(replies).toEqual([`${WARRANTY}\n\nSource: Warranty`, PROMPT.text]);
  });

  it('another flow that only says something runs, then the question comes back', () => {
    const chat = asking('return');
    expect(chat.send({ text: 'what are your opening hours', understood: flow('contact', 0.9) })).toEqual(['We are open 9 to 6.', PROMPT.text]);
    expect(chat.state.awaiting).toEqual({ flow: 'returns', step: 'ask_condition', attempts: 0 });
  });

  it('another flow that asks something of its own replaces the question; one that hands over hands over', () => {
    const chat = asking('return');
    expect(chat.send({ text: 'where is my order', understood: flow('order_status', 1) })).toEqual(['Your order number?']);
    expect(chat.state.awaiting?.flow).toBe('order_status');
    const other = asking('return');
    expect(other.send({ text: 'can I talk to someone please', understood: flow('human', 0.95) })).toEqual(['Passing you on.']);
    expect(other.handoffs()).toEqual(['asked']);
    expect(other.state.awaiting).toBeUndefined();
  });

  it('the flow that is asking is no digression', () => {
    const chat = asking('return');
    expect(chat.send({ text: 'I want to return it', understood: flow('returns', 1) })).toEqual(['Please pick one of the three options.']);
  });
});

describe('a question asked while a typed value waits', () => {
  it('is answered and the number asked for again; the answer then goes on', () => {
    const chat = asking('order');
    const replies = chat.send({ text: 'will it go to my new address? I moved', understood: knowledge('shipping/missed-delivery', 0.99) });
    expect(replies).toEqual([`${WARRANTY}\n\nSource: Warranty`, 'Your order number?']);
    expect(chat.state.awaiting?.attempts).toBe(0);
    expect(chat.send('BW-12345')).toEqual(['Looking up BW-12345.']);
  });
});

describe('a free-text ask', () => {
  it('takes a question understood with high confidence as a digression, and asks again', () => {
    const chat = asking('feedback');
    expect(chat.send({ text: 'how long is the warranty?', understood: knowledge('warranty/warranty-coverage', 0.9) }))
      .toEqual([`${WARRANTY}\n\nSource: Warranty`, 'What went wrong?']);
  });

  it('takes anything that does not read as a question as the answer, however well it is understood', () => {
    const chat = asking('feedback');
    expect(chat.send({ text: 'the warranty claim took ages', understood: knowledge('warranty/making-a-warranty-claim', 0.95) }))
      .toEqual(['Noted: the warranty claim took ages']);
  });

  it('a question understood below the high bar is the answer', () => {
    const chat = asking('feedback');
    expect(chat.send({ text: 'why was it late?', understood: knowledge('shipping/delays', 0.7) })).toEqual(['Noted: why was it late?']);
  });
});

describe('"I don\'t know" / "I don\'t have it"', () => {
  it('takes the ask\'s on_unknown at once, without a retry', () => {
    const chat = asking('order');
    expect(chat.send("I don't have the number")).toEqual(['It is in your confirmation email.']);
  });

  it('takes on_fail when the ask has no on_unknown', () => {
    const chat = asking('return');
    expect(chat.send('weiß ich nicht')).toEqual(['Passing you on.']);
  });

  it('without either, offers a person and asks again with a "Talk to a person" button that hands over', () => {
    const chat = asking('survey');
    const replies = chat.replies("I don't know");
    expect(replies).toEqual([
      { text: BUILT_IN_TEXTS.noAnswer.en, buttons: [] },
      { text: 'Would you recommend us?', buttons: ['Yes', 'No', 'Talk to a person'] },
    ]);
    expect(chat.state.awaiting?.attempts).toBe(0);
    chat.send('3');
    expect(chat.handoffs()).toHaveLength(1);
  });

  it('a free-text ask takes it as the way out only when that is all the message says', () => {
    const chat = asking('feedback');
    expect(chat.send('no idea')).toEqual([BUILT_IN_TEXTS.noAnswer.en, 'What went wrong?']);
    expect(chat.send("I don't know why, but it stops after ten minutes every single time")).toEqual([
      "Noted: I don't know why, but it stops after ten minutes every single time",
    ]);
  });
});
