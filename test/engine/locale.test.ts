import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEXTS, missingTranslations, runTurn } from '../../src/engine/index.ts';
import { Chat, flowsFrom, issuesOf, yaml } from './helpers.ts';

const shop = yaml`
  flow: shop
  triggers: { start: true }
  steps:
    - say: { en: "Hello {{name}}!", de: "Hallo {{name}}!", fr: "Bonjour {{name}} !" }
    - ask: { en: "How many?", de: "Wie viele?" }
      var: qty
      validate: number
      buttons:
        - { title: { en: One, de: Eins }, payload: "1" }
    - say: "{{qty}} ✓"
`;
const flows = flowsFrom({ 'shop.yaml': shop });
const chatIn = (locale?: string) => new Chat(flows, { vars: { name: 'Ana' }, ...(locale ? { locale } : {}) });

describe('texts per locale', () => {
  it.each([
    [undefined, 'Hello Ana!', 'How many?', 'One'],
    ['de', 'Hallo Ana!', 'Wie viele?', 'Eins'],
    ['de-AT', 'Hallo Ana!', 'Wie viele?', 'Eins'],
    ['fr', 'Bonjour Ana !', 'How many?', 'One'],
    ['it', 'Hello Ana!', 'How many?', 'One'],
  ])('a conversation in %s reads %j, %j', (locale, hello, ask, button) => {
    expect(chatIn(locale).replies({ event: 'start' })).toEqual([{ text: hello, buttons: [] }, { text: ask, buttons: [button] }]);
  });

  it('the built-in retry hints and apologies speak German too', () => {
    const chat = chatIn('de');
    chat.send({ event: 'start' });
    expect(chat.send('viele')).toEqual(['Bitte antworten Sie mit einer Zahl. Wie viele?']);
    const lost = runTurn(flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: a\n' }), { vars: {}, locale: 'de' }, { text: 'xyz' });
    expect(lost.actions).toEqual([{ type: 'say', message: { text: BUILT_IN_TEXTS.didNotCatch.de } }]);
  });

  it('set: { locale } switches the conversation’s language; it lives in state.locale, not in the variables', () => {
    const switcher = flowsFrom({
      'de.yaml': 'flow: de\ntriggers: { keywords: [deutsch] }\nsteps:\n  - set: { locale: de }\n  - say: { en: English, de: Deutsch }\n',
    });
    const chat = new Chat(switcher);
    expect(chat.send('Deutsch bitte')).toEqual(['Deutsch']);
    expect(chat.state.locale).toBe('de');
    expect(chat.state.vars).toEqual({});
  });

  it('a flow with default_locale: de falls back to German', () => {
    const german = flowsFrom({ 'g.yaml': 'flow: g\ndefault_locale: de\nsteps:\n  - say: { de: Hallo, en: Hello }\n' });
    expect(runTurn(german, { vars: {}, locale: 'es' }, { payload: 'g' }).actions[0]).toEqual({ type: 'say', message: { text: 'Hallo' } });
  });

  it('a text in several languages without the default one is a load error at its position', () => {
    const issues = issuesOf(() => flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: { de: Hallo }\n' }));
    expect(issues).toEqual([{ file: 'a.yaml', line: 3, col: 10, message: "this text has no 'en' version, the flow's default_locale, which every text needs" }]);
  });

  it('a language code that is not one is a load error', () => {
    const [issue] = issuesOf(() => flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: { en: Hi, "german!": Hallo }\n' }));
    expect(issue!.line).toBe(3);
  });
});

describe('missingTranslations', () => {
  it('lists each text that lacks a locale the flow set speaks, with file:line:col', () => {
    const set = flowsFrom({
      'a.yaml': yaml`
        flow: a
        steps:
          - say: { en: Hi, de: Hallo }
          - say: "Plain English"
          - say: "{{link}} +1 555 0142"
          - ask: { en: "Size?", fr: "Taille ?" }
            var: size
            buttons: [{ title: { en: Small, de: Klein, fr: Petit }, payload: s }]
      `,
    });
    expect(missingTranslations(set).map((m) => `${m.file}:${m.line}:${m.col} ${m.locale}`)).toEqual([
      'a.yaml:3:10 fr',
      'a.yaml:4:10 de',
      'a.yaml:4:10 fr',
      'a.yaml:6:10 de',
    ]);
    expect(missingTranslations(set)[0]!.message).toBe("no 'fr' translation: customers whose language is fr see the 'en' text");
  });

  it('is empty for a flow set in one language', () => {
    expect(missingTranslations(flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: Hi\n' }))).toEqual([]);
  });
});
