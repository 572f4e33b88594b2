import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoOrders } from '../../src/demo/demo-orders.ts';
import { describeWeek } from '../../src/hours/describe-week.ts';
import { HOURS_WHEN_UNSET } from '../../src/hours/hours-when-unset.ts';
import { loadFlows, missingTranslations, type EffectRequest, type EffectResult, type FlowSet } from '../../src/engine/index.ts';
import { Chat, noEffects, type EffectAnswerer } from './helpers.ts';

let flows: FlowSet;
beforeAll(async () => {
  flows = await loadFlows(path.resolve('flows'));
});

const MENU = ['Order status', 'Returns', 'Hours & contact', 'Talk to a person', 'Deutsch'];
const MENU_DE = ['Bestellstatus', 'Rücksendungen', 'Zeiten & Kontakt', 'Kundenservice', 'English'];
/** The fallback offers the flows, without the language button. */
const OPTIONS = MENU.slice(0, 4);
const WELCOME = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";
const ASK_MENU = 'What can I help you with? Tap a button or just tell me what you need.';
const TODAY = new Date('2025-03-10T09:00:00Z');

/** The demo order API, answered in process: the orders the real endpoint serves, 404 for the rest. */
const orderApi: EffectAnswerer = (request) => {
  if (request.kind !== 'call' || request.endpoint !== 'order_lookup') return noEffects(request);
  const order = demoOrders(TODAY)[String(request.params.order).toUpperCase()];
  return order ? { kind: 'call', ok: true, status: 200, data: order } : { kind: 'call', ok: false, status: 404, error: 'http_404' };
};
/** As the server fills them each turn (src/hours): a desk that is open now, and the hours in words (OPENING_HOURS unset). */
const OPEN_DESK = { person_available: true, person_later: false };
const hoursOf = (locale: string) => ({ opening_hours: describeWeek(HOURS_WHEN_UNSET, locale) });
const shop = (effects: EffectAnswerer = orderApi) => new Chat(flows, { vars: { ...OPEN_DESK, ...hoursOf('en') } }, effects);
const german = (effects: EffectAnswerer = orderApi) => new Chat(flows, { vars: { ...OPEN_DESK, ...hoursOf('de') }, locale: 'de' }, effects);

describe('Brightwave demo flows', () => {
  it('every text is in English and German', () => {
    expect(missingTranslations(flows)).toEqual([]);
  });

  it('greeting: welcomes once, shows the menu with the language button, and "menu" shows it again', () => {
    const chat = shop();
    const welcome = chat.replies({ event: 'start' });
    expect(welcome).toEqual([{ text: WELCOME, buttons: [] }, { text: ASK_MENU, buttons: MENU }]);
    expect(chat.replies('menu')).toEqual([{ text: ASK_MENU, buttons: MENU }]);
    expect(chat.send('2')[0]).toBe('You can return anything you bought from Brightwave within 30 days of delivery.');
  });

  it('language: the Deutsch button switches the conversation to German, and English switches back', () => {
    const chat = shop();
    chat.send({ event: 'start' });
    expect(chat.replies({ payload: 'switch_language' })).toEqual([
      { text: 'Wobei kann ich Ihnen helfen? Tippen Sie auf eine Schaltfläche oder schreiben Sie mir einfach, was Sie brauchen.', buttons: MENU_DE },
    ]);
    expect(chat.state.locale).toBe('de');
    expect(chat.send('Zeiten & Kontakt')[0]).toMatch(/^So erreichen Sie Brightwave Electronics:/);
    expect(chat.send('wo ist meine Bestellung?')[0]).toMatch(/^Gern! Wie lautet Ihre Bestellnummer\?/);
    expect(chat.send('menü')[0]).toMatch(/^Wobei kann ich Ihnen helfen\?/);
    expect(chat.send('5')).toEqual([ASK_MENU]);
    expect(chat.state.locale).toBe('en');
  });

  it('language: typing the language switches to it, whatever the conversation speaks', () => {
    const chat = shop();
    expect(chat.send('Deutsch bitte')[0]).toBe('Hallo und willkommen bei Brightwave Electronics! Ich bin der Brightwave-Assistent.');
    expect(chat.state.locale).toBe('de');
    chat.send('auf deutsch');
    expect(chat.state.locale).toBe('de');
    expect(chat.send('in English please')).toEqual([ASK_MENU]);
    expect(chat.state.locale).toBe('en');
  });

  it('order status: asks for the number until it is valid, looks it up and says where a shipped order is', () => {
    const chat = shop();
    expect(chat.send('Where is my order?')).toEqual([
      "Happy to help! What's your order number? You'll find it in your order confirmation email. It looks like BW-12345.",
    ]);
    expect(chat.send('abc')).toEqual([
      "Hmm, that doesn't look like an order number. It starts with BW- followed by five digits, like BW-12345.",
    ]);
    const [shipped] = chat.replies('BW-12345');
    expect(chat.requests).toEqual([{ kind: 'call', endpoint: 'order_lookup', params: { order: 'BW-12345' }, timeoutMs: 5000 }]);
    expect(shipped).toEqual({
      text: 'Good news: order BW-12345 is on its way with UPS and should arrive on 12 March. You can follow it here: https://www.ups.com/track?tracknum=1Z999AA10123456784',
      buttons: ['Main menu', 'Talk to a person'],
    });
    expect(chat.ended()).toBe(true);
    expect(chat.state.flow).toBeUndefined();
  });

  it('order status: a processing and a delivered order, in German too', () => {
    const processing = shop();
    processing.send('track my parcel');
    expect(processing.send('bw-23456')[0]).toMatch(/^Order BW-23456 is being packed in our warehouse\. .* arrive by 14 March\./);
    const delivered = german();
    delivered.send('Sendungsverfolgung');
    expect(delivered.send('BW-34567')[0]).toMatch(/^Ihre Bestellung BW-34567 wurde am 5\. März zugestellt\./);
  });

  it('order status: an unknown number is said so, and a corrected number is looked up', () => {
    const chat = shop();
    chat.send('order status');
    expect(chat.replies('BW-99999')).toEqual([
      { text: "I couldn't find an order with the number BW-99999.", buttons: ['Talk to a person'] },
      { text: 'Could you check the number in your order confirmation email and type it again? Or tap the button to talk to a person.', buttons: [] },
    ]);
    expect(chat.send('BW-23456')[0]).toMatch(/^Order BW-23456 is being packed/);
    expect(chat.requests.map((r) => (r.kind === 'call' ? r.params.order : undefined))).toEqual(['BW-23456']);
  });

  it('order status: an unknown number can go to a person instead', () => {
    const chat = shop();
    chat.send('order status');
    chat.send('BW-99999');
    expect(chat.send({ payload: 'human' })[0]).toMatch(/^Of course!/);
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('order status: when the order system fails, apologises and offers a person', () => {
    const down: EffectAnswerer = (request: EffectRequest): EffectResult => ({ kind: 'call', ok: false, error: request.kind === 'call' ? 'timeout' : 'x' });
    const chat = shop(down);
    chat.send('where is my package');
    expect(chat.replies('BW-12345')).toEqual([{
      text: "Sorry, I can't reach our order system right now, so I can't look up BW-12345. A colleague can check it for you.",
      buttons: ['Talk to a person', 'Main menu'],
    }]);
    expect(chat.state.vars.call_error).toBe('timeout');
    chat.send('1');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('order status: after three unreadable numbers, hands over with the reason', () => {
    const chat = shop();
    chat.send('has my order shipped yet?');
    chat.send('it was 1234');
    chat.send('12345');
    expect(chat.send('the blue one')).toEqual([
      "Sorry, I still can't read an order number in that. I'll pass you to a colleague who can look it up with you.",
    ]);
    expect(chat.handoffs()).toEqual(["could not read the customer's order number"]);
    expect(chat.requests).toEqual([]);
  });

  it('order status: "menu" or "agent" while it asks switches flows', () => {
    const chat = shop();
    chat.send('tracking');
    expect(chat.replies('menu').at(-1)!.buttons).toEqual(MENU);
    chat.send('1');
    chat.send('agent');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('returns: a defective item gets the warranty route', () => {
    const chat = shop();
    const asked = chat.replies("I'd like to return my headphones");
    expect(asked[1]).toEqual({ text: 'Which of these fits your item best?', buttons: ['Still unopened', 'Opened, works fine', 'Defective or damaged'] });
    const answer = chat.replies('3');
    expect(answer).toHaveLength(1);
    expect(answer[0]!.text).toContain('2-year warranty');
  });

  it('returns: unopened and opened items get the right rules, then how to start the return', () => {
    const unopened = shop();
    unopened.send('refund');
    const texts = unopened.send('still unopened');
    expect(texts[0]).toBe('Good news: unopened items get a full refund.');
    expect(texts[1]).toMatch(/^To start your return, go to https:\/\/www\.brightwave\.example\/returns/);

    const opened = shop();
    opened.send('refund');
    expect(opened.send({ payload: 'opened' })[0]).toContain('in-ear headphones can only be returned unopened');
  });

  it('returns: in German, a German button title answers the question', () => {
    const chat = german();
    expect(chat.send('Ich möchte etwas zurückschicken')[1]).toBe('Was trifft auf Ihren Artikel am ehesten zu?');
    expect(chat.send('originalverpackt')[0]).toBe('Gute Nachricht: Für originalverpackte Artikel erstatten wir den vollen Kaufpreis.');
  });

  it('returns: two answers that fit no option pass the customer to a person', () => {
    const chat = shop();
    chat.send('return');
    expect(chat.send('maybe')).toEqual(["Sorry, I didn't get that. Please pick one of the three options."]);
    chat.send('purple');
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
  });

  it('returns: "I don\'t know" explains the three options and asks again, spending no retry and handing nobody over', () => {
    const chat = shop();
    chat.send('return');
    const [explained, asked] = chat.replies('dunno');
    expect(explained?.text).toMatch(/^No problem\. "Still unopened": the packaging was never opened\./);
    expect(explained?.buttons).toEqual(['Talk to a person']);
    expect(asked).toEqual({ text: 'Which of these fits your item best?', buttons: ['Still unopened', 'Opened, works fine', 'Defective or damaged'] });
    expect(chat.send('maybe')).toEqual(["Sorry, I didn't get that. Please pick one of the three options."]);
    expect(chat.handoffs()).toEqual([]);
  });

  it('contact: opening hours, phone, email and address, even with a typo', () => {
    const [text] = shop().send('What are your openning hours?');
    expect(text).toContain('Store and phone hours: Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays');
    expect(text).toContain('+31 10 123 4567');
    expect(text).toContain('support@brightwave.example');
    expect(text).toContain('Harbour Street 12, 3011 AB Rotterdam');
  });

  it('human: a person is promised and the handoff is emitted, in German too', () => {
    const chat = shop();
    expect(chat.send('can I talk to a real person')[0]).toMatch(/^Of course! I'm passing you to a colleague/);
    expect(chat.handoffs()).toEqual(['customer asked for a person']);
    const de = german();
    expect(de.send('Ich möchte mit einem Mitarbeiter sprechen')[0]).toMatch(/^Sehr gern! Ich gebe Sie an eine Kollegin/);
    expect(de.handoffs()).toEqual(['customer asked for a person']);
  });

  it('human: says only what will happen, with the team away or with nobody to take the chat', () => {
    const away = new Chat(flows, { vars: { person_available: false, person_later: true } });
    expect(away.send('can I talk to a real person')).toEqual(["Of course! I'm passing this conversation to our support team, so you won't have to repeat yourself."]);
    expect(away.handoffs()).toEqual(['customer asked for a person']);
    for (const nobody of [new Chat(flows, { vars: { person_available: false, person_later: false } }), new Chat(flows)]) {
      const [text] = nobody.replies('can I talk to a real person');
      expect(text!.text).toMatch(/^I'm sorry, no one from our team can chat with you here\. You can call us on \+31 10 123 4567 .*support@brightwave\.example/);
      expect(text!.text).not.toMatch(/passing you/);
      expect(text!.buttons).toEqual(['Main menu']);
      expect(nobody.handoffs()).toEqual([]);
    }
    const de = new Chat(flows, { vars: {}, locale: 'de' });
    expect(de.send('Ich möchte mit einem Mitarbeiter sprechen')[0]).toMatch(/^Leider kann hier niemand aus unserem Team mit Ihnen chatten/);
  });

  it('fallback: answers from the knowledge base with its source, then offers the menu and a person', () => {
    const kb: EffectAnswerer = (request) => request.kind === 'answer'
      ? { kind: 'answer', confidence: 0.82, answer: 'Yes: the Wave 700 ANC has active noise cancelling.', sources: ['Wave 700 ANC'] }
      : noEffects(request);
    const chat = shop(kb);
    expect(chat.replies('Do the Wave 700 cancel noise?')).toEqual([
      { text: 'Yes: the Wave 700 ANC has active noise cancelling.\n\nSource: Wave 700 ANC', buttons: [] },
      { text: 'Does that answer your question? If not, a colleague is happy to help.', buttons: ['Main menu', 'Talk to a person'] },
    ]);
    expect(chat.requests).toEqual([{ kind: 'answer', question: 'Do the Wave 700 cancel noise?' }]);
  });

  it('fallback: when the knowledge base is unsure, admits it and offers the menu and a person', () => {
    const chat = shop();
    const [reply] = chat.replies('Do you sell drones?');
    expect(reply).toEqual({ text: "Sorry, I'm not sure I understood that. I can help with these, or put you in touch with a person:", buttons: OPTIONS });
    expect(chat.requests).toEqual([{ kind: 'answer', question: 'Do you sell drones?' }]);
    expect(chat.send('Talk to a person')[0]).toMatch(/^Of course!/);
  });
});
