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
