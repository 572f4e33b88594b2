import { describe, expect, it } from 'vitest';
import { BUILT_IN } from '../../src/engine/index.ts';
import { Chat, flowsFrom, yaml } from './helpers.ts';

const menu = yaml`
  flow: menu
  triggers:
    start: true
    payloads: [main_menu]
  steps:
    - say: "Menu"
      buttons:
        - { title: Returns, payload: returns }
        - { title: Opening hours, payload: hours }
`;
const returns = yaml`
  flow: returns
  triggers:
    keywords: [return, refund, café]
  steps:
    - say: "Returns here."
`;
const hours = yaml`
  flow: hours
  triggers:
    keywords: ["opening hours", "return policy"]
    examples: ["when are you open", "what time do you close"]
  steps:
    - say: "Hours here."
`;
const fallback = 'flow: fallback\ntriggers: { fallback: true }\nsteps:\n  - say: "Fallback."\n';

const shop = (withFallback = true) =>
  new Chat(flowsFrom({ 'menu.yaml': menu, 'returns.yaml': returns, 'hours.yaml': hours, ...(withFallback ? { 'fallback.yaml': fallback } : {}) }));

describe('trigger matching', () => {
  it.each([
    ['I want a REFUND', 'Returns here.'],
    ['Returns?', 'Returns here.'],
    ['un cafe, por favor', 'Returns here.'],
    ["what's the return policy", 'Hours here.'],
    ['When do you open on Saturday?', 'Hours here.'],
    ['What time do you close today', 'Hours here.'],
    ['prefunding', 'Fallback.'],
    ['do you sell drones', 'Fallback.'],
    ['', 'Fallback.'],
  ])('%j → %j', (text, reply) => {
    expect(shop().send(text)).toEqual([reply]);
  });

  it('says a built-in apology when nothing matches and there is no fallback flow', () => {
    const chat = shop(false);
    expect(chat.send('do you sell drones')).toEqual([BUILT_IN.didNotCatch]);
    expect(chat.actions.map((a) => a.type)).toEqual(['say']);
  });
});

describe('buttons and payloads', () => {
  it('a typed number or a button title picks that button of the last message', () => {
    const chat = shop();
    chat.send({ event: 'start' });
    expect(chat.send('2')).toEqual(['Hours here.']);
    chat.send({ payload: 'main_menu' });
    expect(chat.send('opening HOURS')).toEqual(['Hours here.']);
  });

  it('a number no button has falls through to matching', () => {
    const chat = shop();
    chat.send({ event: 'start' });
    expect(chat.send('9')).toEqual(['Fallback.']);
  });

  it('payloads start the flow they name, or the flow listing them in triggers.payloads', () => {
    expect(shop().send({ payload: 'hours' })).toEqual(['Hours here.']);
    expect(shop().send({ payload: 'main_menu' })).toEqual(['Menu']);
  });
});

describe('start', () => {
  it('event start runs the start flow', () => {
    const chat = shop();
    expect(chat.replies({ event: 'start' })).toEqual([{ text: 'Menu', buttons: ['Returns', 'Opening hours'] }]);
  });

  it('without a start flow, event start says nothing', () => {
    const chat = new Chat(flowsFrom({ 'returns.yaml': returns }));
    expect(chat.turn({ event: 'start' })).toEqual([]);
  });
});

describe('tolerant matching', () => {
  const orders = yaml`
    flow: orders
    triggers:
      keywords: ["order status", "sendungsverfolgung"]
    steps:
      - say: "Orders here."
  `;
  const ordering = yaml`
    flow: ordering
    triggers:
      keywords: [odrer]
    steps:
      - say: "Exact odrer."
  `;
  const store = (extra: Record<string, string> = {}) =>
    new Chat(flowsFrom({ 'menu.yaml': menu, 'returns.yaml': returns, 'hours.yaml': hours, 'fallback.yaml': fallback, 'orders.yaml': orders, ...extra }));

  it.each([
    ['I want a refnud', 'Returns here.', 'a swap of two letters in a 6-letter word'],
    ['refun please', 'Returns here.', 'a missing letter'],
    ['RÉFUND!', 'Returns here.', 'case and accents'],
    ['what is the status of my order', 'Orders here.', 'the words of a phrase in another order'],
    ['status of my ordr', 'Orders here.', 'another order and a typo'],
    ['sendungsverfolgunk bitte', 'Orders here.', 'one typo in a long word'],
    ['sendungsvrfolgunk', 'Orders here.', 'two typos in a word of 9+ letters'],
    ['What time do you clsoe today', 'Hours here.', 'examples tolerate typos too'],
  ])('%j still matches (%s)', (text, reply) => {
    expect(store().send(text)).toEqual([reply]);
  });

  it.each([
    ['I want a rfnd now', 'two typos in a word under 9 letters'],
    ['cafee', 'a typo in a word under 5 letters'],
    ['sendngsvrfolgunk', 'three typos'],
    ['status', 'only part of a phrase'],
  ])('%j does not match (%s)', (text) => {
    expect(store().send(text)).toEqual(['Fallback.']);
  });

  it('an exact keyword always beats a tolerant one', () => {
    // "order" is one typo from the other flow's keyword "odrer", which is exact here.
    expect(store({ 'ordering.yaml': ordering }).send('odrer status')).toEqual(['Exact odrer.']);
  });

  it('a button title typed exactly wins over any keyword', () => {
    const chat = store();
    chat.send({ event: 'start' });
    expect(chat.send('Returns')).toEqual(['Returns here.']);
    chat.send({ event: 'start' });
    expect(chat.send('opening hours')).toEqual(['Hours here.']);
  });
});
