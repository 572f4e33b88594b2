import { describe, expect, it } from 'vitest';
import { BUILT_IN } from '../../src/engine/index.ts';
import { Chat, flowsFrom, yaml } from './helpers.ts';

/** A chat whose only flow is `steps`, started with the payload `go`. */
function chatWith(steps: string, others: Record<string, string> = {}): Chat {
  return new Chat(flowsFrom({ 'main.yaml': `flow: go\nsteps:\n${steps}`, ...others }));
}

const go = { payload: 'go' };

describe('say', () => {
  it('templates variables and offers buttons', () => {
    const chat = chatWith(yaml`
      - set: { name: Ana }
      - say: "Hi {{name}}!"
        buttons: [{ title: "Menu for {{name}}", payload: go }]
    `.replace(/^/gm, '  '));
    expect(chat.replies(go)).toEqual([{ text: 'Hi Ana!', buttons: ['Menu for Ana'] }]);
    expect(chat.state.offered).toEqual([{ title: 'Menu for Ana', payload: 'go' }]);
    expect(chat.ended()).toBe(true);
  });
});

describe('ask', () => {
  const ask = (validate: string, extra = '') =>
    chatWith(`  - ask: "Your answer?"\n    var: answer\n    validate: ${validate}\n${extra}  - say: "Got {{answer}}"\n`);

  it.each([
    ['text', '  hello  ', 'hello', '   '],
    ['number', '12,5', '12.5', 'twelve'],
    ['{ type: number, min: 1, max: 5 }', '5', '5', '6'],
    ['email', 'ana@example.com', 'ana@example.com', 'ana@example'],
    ['phone', '+1 (555) 010-4477', '+1 (555) 010-4477', '12-34'],
    ["{ type: pattern, pattern: '^BW-\\d{5}$' }", 'BW-12345', 'BW-12345', 'BW-123'],
  ])('%s accepts %j and refuses %j', (validate, good, stored, bad) => {
    const chat = ask(validate);
    expect(chat.send(go)).toEqual(['Your answer?']);
    expect(chat.send(bad)).toHaveLength(1);
    expect(chat.state.awaiting).toEqual({ flow: 'go', step: '#1', attempts: 1 });
    expect(chat.send(good)).toEqual([`Got ${stored}`]);
    expect(chat.state.awaiting).toBeUndefined();
  });

  it('stores numbers as numbers', () => {
    const chat = ask('number');
    chat.send(go);
    chat.send('7');
    expect(chat.state.vars).toEqual({ answer: 7 });
  });

  it('choice matches a title (any case, accents), a number, or the payload, and stores the payload', () => {
    const choice = `    buttons:\n      - { title: Café latte, payload: latte }\n      - { title: Tea, payload: tea }\n`;
    for (const answer of ['cafe LATTE', '1', 'latte', { payload: 'latte' }]) {
      const chat = ask('choice', choice);
      expect(chat.replies(go)).toEqual([{ text: 'Your answer?', buttons: ['Café latte', 'Tea'] }]);
      expect(chat.send(answer)).toEqual(['Got latte']);
    }
  });

  it('choice can list its options instead of buttons, and shows them as buttons', () => {
    const chat = ask('{ type: choice, options: [Small, Large] }');
    expect(chat.replies(go)).toEqual([{ text: 'Your answer?', buttons: ['Small', 'Large'] }]);
    expect(chat.send('large')).toEqual(['Got Large']);
  });

  it('re-asks with the retry text until the retries are used up, then runs on_fail', () => {
    const chat = ask('number', '    retry: "A number, please."\n    retries: 2\n    on_fail: [{ say: "Let me get a person." }, { handoff: "no number" }]\n');
    chat.send(go);
    expect(chat.send('x')).toEqual(['A number, please.']);
    expect(chat.send('y')).toEqual(['A number, please.']);
    expect(chat.state.awaiting?.attempts).toBe(2);
    expect(chat.send('z')).toEqual(['Let me get a person.']);
    expect(chat.handoffs()).toEqual(['no number']);
    expect(chat.state.awaiting).toBeUndefined();
  });

  it('without a retry text, hints at the type and asks again; without on_fail, gives up and ends', () => {
    const chat = ask('email', '    retries: 1\n');
    chat.send(go);
    expect(chat.send('nope')).toEqual(["That doesn't look like an email address (like name@example.com). Your answer?"]);
    expect(chat.send('still nope')).toEqual([BUILT_IN.gaveUp]);
    expect(chat.state.awaiting).toBeUndefined();
    expect(chat.state.vars).toEqual({});
  });

  it('a choice retry offers the buttons again', () => {
    const chat = ask('choice', '    buttons: [{ title: Yes, payload: "yes" }, { title: No, payload: "no" }]\n');
    chat.send(go);
    expect(chat.replies('maybe')).toEqual([{ text: 'Please pick one of the options. Your answer?', buttons: ['Yes', 'No'] }]);
  });
});

describe('if', () => {
  const flow = yaml`
    - ask: "How many?"
      var: qty
      validate: number
    - if: "qty > 10"
      then: { goto: bulk }
      else:
        - say: "A small order."
        - set: { size: small }
    - say: "Size: {{size}}"
    - end: true
    - id: bulk
      say: "A bulk order!"
  `.replace(/^/gm, '  ');

  it('jumps on then', () => {
    const chat = chatWith(flow);
    chat.send(go);
    expect(chat.send('11')).toEqual(['A bulk order!']);
  });

  it('runs an inline else in place, then continues after the if', () => {
    const chat = chatWith(flow);
    chat.send(go);
    expect(chat.send('2')).toEqual(['A small order.', 'Size: small']);
  });

  it('without else, continues with the next step', () => {
    const chat = chatWith('  - if: "missing is set"\n    then: { say: never }\n  - say: after\n');
    expect(chat.send(go)).toEqual(['after']);
  });
});

describe('set', () => {
  it('sets values of every type, templating text from the variables before the step', () => {
    const chat = chatWith('  - set: { a: one }\n  - set: { a: two, b: "was {{a}}", n: 3, ok: true, gone: null }\n');
    chat.send(go);
    expect(chat.state.vars).toEqual({ a: 'two', b: 'was one', n: 3, ok: true, gone: null });
  });
});

describe('goto', () => {
  it('jumps to a step, skipping the ones between', () => {
    const chat = chatWith('  - goto: last\n  - say: skipped\n  - id: last\n    say: landed\n');
    expect(chat.send(go)).toEqual(['landed']);
  });

  it('jumps to the start of another flow, keeping the variables', () => {
    const other = { 'other.yaml': 'flow: other\nsteps:\n  - say: "Other flow, x={{x}}"\n' };
    const chat = chatWith('  - set: { x: 1 }\n  - goto: { flow: other }\n  - say: never\n', other);
    expect(chat.send(go)).toEqual(['Other flow, x=1']);
    const short = chatWith('  - goto: other\n', other);
    expect(short.send(go)).toEqual(['Other flow, x=']);
  });
});

describe('handoff and end', () => {
  it('handoff emits the templated reason and ends the flow without an end action', () => {
    const chat = chatWith('  - set: { order: BW-1 }\n  - say: "Passing you on."\n  - handoff: "asked about {{order}}"\n  - say: never\n');
    expect(chat.send(go)).toEqual(['Passing you on.']);
    expect(chat.actions.map((a) => a.type)).toEqual(['say', 'handoff']);
    expect(chat.handoffs()).toEqual(['asked about BW-1']);
  });

  it('end stops the flow and leaves the conversation idle', () => {
    const chat = chatWith('  - say: bye\n  - end: true\n  - say: never\n');
    expect(chat.send(go)).toEqual(['bye']);
    expect(chat.actions.map((a) => a.type)).toEqual(['say', 'end']);
    expect(chat.state.flow).toBeUndefined();
    expect(chat.state.awaiting).toBeUndefined();
  });
});
