import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlows, type FlowSet } from '../../src/engine/index.ts';
import { Chat } from './helpers.ts';

let flows: FlowSet;
beforeAll(async () => {
  flows = await loadFlows(path.resolve('flows'));
});

const MENU = ['Order status', 'Returns', 'Opening hours & contact', 'Talk to a person'];

describe('Brightwave demo flows', () => {
  it('greeting: welcomes once, shows the menu, and "menu" shows it again', () => {
    const chat = new Chat(flows);
    const welcome = chat.replies({ event: 'start' });
    expect(welcome.map((r) => r.text)).toEqual([
      "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.",
      'What can I help you with? Tap a button or just tell me what you need.',
    ]);
    expect(welcome[1]!.buttons).toEqual(MENU);
    expect(chat.replies('menu')).toEqual([{ text: 'What can I help you with? Tap a button or just tell me what you need.', buttons: MENU }]);
    expect(chat.send('2')[0]).toBe('You can return anything you bought from Brightwave within 30 days of delivery.');
  });

  it('order status: asks for the number until it is valid, then the email, then points to tracking', () => {
    const chat = new Chat(flows);
    expect(chat.send('Where is my order?')).toEqual([
      "Happy to help! What's your order number? You'll find it in your order confirmation email. It looks like BW-12345.",
    ]);
    expect(chat.send('abc')).toEqual([
      "Hmm, that doesn't look like an order number. It starts with BW- followed by five digits, like BW-12345.",
    ]);
    expect(chat.send('BW-12345')).toEqual(['Thanks! And which email address did you use for order BW-12345?']);
    expect(chat.send('ana@example')[0]).toMatch(/^That doesn't look like an email address/);
    const done = chat.replies('ana@example.com');
    expect(done[0]!.text).toContain('https://www.brightwave.example/track?order=BW-12345');
    expect(done[0]!.text).toContain('ana@example.com');
    expect(done[0]!.text).toContain("I can't look up orders myself yet");
    expect(done[1]!.buttons).toEqual(['Talk to a person', 'Main menu']);
    expect(chat.state.vars).toMatchObject({ order_number: 'BW-12345', email: 'ana@example.com' });
    chat.send('1');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('order status: after three unreadable numbers, hands over with the reason', () => {
    const chat = new Chat(flows);
    chat.send('has my order shipped yet?');
    chat.send('no idea');
    chat.send('12345');
    expect(chat.send('the blue one')).toEqual([
      "Sorry, I still can't read an order number in that. I'll pass you to a colleague who can look it up with you.",
    ]);
    expect(chat.handoffs()).toEqual(["could not read the customer's order number"]);
  });

  it('order status: "menu" or "agent" while it asks switches flows', () => {
    const chat = new Chat(flows);
    chat.send('tracking');
    expect(chat.replies('menu').at(-1)!.buttons).toEqual(MENU);
    chat.send('1');
    chat.send('agent');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('returns: a defective item gets the warranty route', () => {
    const chat = new Chat(flows);
    const asked = chat.replies("I'd like to return my headphones");
    expect(asked[1]).toEqual({ text: 'Which of these fits your item best?', buttons: ['Still unopened', 'Opened, works fine', 'Defective or damaged'] });
    const answer = chat.replies('3');
    expect(answer).toHaveLength(1);
    expect(answer[0]!.text).toContain('2-year warranty');
  });

  it('returns: unopened and opened items get the right rules, then how to start the return', () => {
    const unopened = new Chat(flows);
    unopened.send('refund');
    const texts = unopened.send('still unopened');
    expect(texts[0]).toBe('Good news: unopened items get a full refund.');
    expect(texts[1]).toMatch(/^To start your return, go to https:\/\/www\.brightwave\.example\/returns/);

    const opened = new Chat(flows);
    opened.send('refund');
    expect(opened.send({ payload: 'opened' })[0]).toContain('in-ear headphones can only be returned unopened');
  });

  it('returns: two answers that fit no option pass the customer to a person', () => {
    const chat = new Chat(flows);
    chat.send('return');
    expect(chat.send('maybe')).toEqual(["Sorry, I didn't get that. Please pick one of the three options."]);
    chat.send('dunno');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('contact: opening hours, phone, email and address', () => {
    const [text] = new Chat(flows).send('What are your opening hours?');
    expect(text).toContain('Monday to Friday 9:00–18:00');
    expect(text).toContain('+1 555 0142');
    expect(text).toContain('support@brightwave.example');
    expect(text).toContain('42 Market Street');
  });

  it('human: a person is promised and the handoff is emitted', () => {
    const chat = new Chat(flows);
    expect(chat.send('can I talk to a real person')[0]).toMatch(/^Of course! I'm passing you to a colleague/);
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('fallback: admits it did not understand and offers the menu and a person', () => {
    const chat = new Chat(flows);
    const [reply] = chat.replies('Do you sell drones?');
    expect(reply).toEqual({ text: "Sorry, I'm not sure I understood that. I can help with these, or put you in touch with a person:", buttons: MENU });
    expect(chat.send('Talk to a person')[0]).toMatch(/^Of course!/);
  });
});
