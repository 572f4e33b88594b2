/**
 * Values as customers write them: order numbers in their own spelling, "I don't have it" as an answer, and dates
 * in their language, through whole turns of the engine.
 */
import { describe, expect, it } from 'vitest';
import { checkAnswer, defaultRetryHint, findCodes } from '../../src/engine/validators.ts';
import { saysUnknown } from '../../src/engine/unknown-answer.ts';
import { Chat, flowsFrom, issuesOf, yaml } from './helpers.ts';

const ORDER = { type: 'code', prefix: 'BW', digits: 5, separator: '-' } as const;

describe('the code validator', () => {
  it.each([
    'BW-12345', 'bw12345', 'BW 12345', 'bw-12345', 'Bw12345', '#BW-12345', 'my order is bw 12345',
    'Order number: BW_12345.', 'bw - 12345', 'it is BW-12345, thanks!', 'bw/12345',
  ])('finds %j and stores BW-12345', (answer) => {
    expect(checkAnswer(ORDER, answer)).toEqual({ ok: true, value: 'BW-12345' });
  });

  it.each([
    ['digits without the prefix', '12345'],
    ['too few digits', 'BW-1234'],
    ['too many digits', 'BW-123456'],
    ['the prefix inside a word', 'abw12345'],
    ['letters right after the digits', 'BW-12345x'],
    ['two different numbers', 'BW-12345 and BW-23456'],
    ['nothing like it', 'the blue one'],
  ])('refuses %s (%j)', (_, answer) => {
    expect(checkAnswer(ORDER, answer)).toEqual({ ok: false });
  });

  it('takes the same number written twice', () => {
    expect(checkAnswer(ORDER, 'BW-12345 (bw12345)')).toEqual({ ok: true, value: 'BW-12345' });
  });

  it('keeps the prefix as the flow writes it, with its separator', () => {
    expect(findCodes({ type: 'code', prefix: 'Ord', digits: 3, separator: '' }, 'ORD 123 and ord-456')).toEqual(['Ord123', 'Ord456']);
  });

  it('hints with an example in the conversation\'s language', () => {
    expect(defaultRetryHint(ORDER, 'en')).toBe('I need a number like BW-12345.');
    expect(defaultRetryHint(ORDER, 'de')).toBe('Ich brauche eine Nummer wie BW-12345.');
  });
});

describe('answers that say the customer does not have or know it', () => {
  it.each([
    "I don't have the number, can I look it up by email?", "I don't know it", 'dont know', 'no idea', "I can't find it",
    "I haven't got it", "I didn't get a confirmation email", "I'm not sure", 'I lost the email', 'I forgot',
    'ich habe die Nummer nicht', 'keine Ahnung', 'weiß ich nicht', 'Ich weiss es nicht', 'hab ich nicht mehr',
    'ich finde sie nicht', 'Ich habe keine Bestellnummer', 'Die Mail habe ich gelöscht', 'nicht zur Hand',
  ])('%j', (answer) => {
    expect(saysUnknown(answer)).toBe(true);
    expect(checkAnswer(ORDER, answer)).toEqual({ ok: false, unknown: true });
  });

  it.each(['the blue one', 'it was 1234 I think', 'my order number is 12345', 'BW-1234', 'habe ich bestellt', 'ja', 'I have it here'])(
    '%j is just a wrong answer',
    (answer) => {
      expect(saysUnknown(answer)).toBe(false);
    },
  );

  it('a valid answer wins even when it also says "not sure"', () => {
    expect(checkAnswer(ORDER, "not sure, maybe it's BW-12345")).toEqual({ ok: true, value: 'BW-12345' });
  });
});

describe('an ask with on_unknown', () => {
  const flows = () => flowsFrom({
    'order.yaml': yaml`
      flow: go
      steps:
        - ask: { en: "Your order number?", de: "Ihre Bestellnummer?" }
          var: order
          validate: { type: code, prefix: BW, digits: 5 }
          retries: 1
          on_unknown:
            - say: { en: "It is in your confirmation email.", de: "Sie steht in Ihrer Bestätigung." }
              buttons: [{ title: Person, payload: human }]
            - end: true
          on_fail: [{ handoff: "no order number" }]
        - say: { en: "Order {{order}}.", de: "Bestellung {{order}}." }
    `,
    'human.yaml': 'flow: human\nsteps:\n  - handoff: asked\n',
  });

  it('stores the canonical number', () => {
    const chat = new Chat(flows());
    chat.send({ payload: 'go' });
    expect(chat.send('my order is bw 23456')).toEqual(['Order BW-23456.']);
    expect(chat.state.vars.order).toBe('BW-23456');
  });

  it('takes the way out at once, without a retry or a handoff, in either language', () => {
    const chat = new Chat(flows());
    chat.send({ payload: 'go' });
    expect(chat.replies("I don't have the number")).toEqual([{ text: 'It is in your confirmation email.', buttons: ['Person'] }]);
    expect(chat.handoffs()).toEqual([]);
    expect(chat.state.awaiting).toBeUndefined();

    const german = new Chat(flows(), { vars: {}, locale: 'de' });
    german.send({ payload: 'go' });
    expect(german.send('keine Ahnung')).toEqual(['Sie steht in Ihrer Bestätigung.']);
  });

  it('also after a wrong answer, where the next wrong answer would have handed over', () => {
    const chat = new Chat(flows());
    chat.send({ payload: 'go' });
    chat.send('the blue one');
    expect(chat.state.awaiting?.attempts).toBe(1);
    expect(chat.send('I forgot it')).toEqual(['It is in your confirmation email.']);
    expect(chat.handoffs()).toEqual([]);
  });

  it('a code with a prefix that is not letters is refused at load time, with its line', () => {
    const issues = issuesOf(() => flowsFrom({
      'bad.yaml': 'flow: go\nsteps:\n  - ask: "Number?"\n    var: n\n    validate: { type: code, prefix: "B-W", digits: 5 }\n',
    }));
    expect(issues).toEqual([expect.objectContaining({ file: 'bad.yaml', line: 5, message: expect.stringContaining('must be 1 to 10 letters') })]);
  });
});

describe('dates in replies', () => {
  const flows = () => flowsFrom({
    'eta.yaml': yaml`
      flow: go
      steps:
        - set: { eta: "2026-12-07", slot: "2026-12-07T09:30:00+01:00" }
        - say:
            en: "Arrives on {{eta | date}}, courier at {{slot | time}}."
            de: "Kommt am {{eta | date}}, Kurier um {{slot | time}} Uhr."
    `,
  });

  it('are written in the conversation\'s language', () => {
    expect(new Chat(flows()).send({ payload: 'go' })).toEqual(['Arrives on 7 December, courier at 09:30.']);
    expect(new Chat(flows(), { vars: {}, locale: 'de' }).send({ payload: 'go' })).toEqual(['Kommt am 7. Dezember, Kurier um 09:30 Uhr.']);
  });

  it('a flow written in German formats its dates in German when the conversation has no language yet', () => {
    const chat = new Chat(flowsFrom({
      'eta.yaml': 'flow: go\ndefault_locale: de\nsteps:\n  - set: { eta: "2026-03-01" }\n  - say: { de: "Am {{eta | date}}." }\n',
    }));
    expect(chat.send({ payload: 'go' })).toEqual(['Am 1. März.']);
  });

  it('an unknown filter is refused at load time', () => {
    const issues = issuesOf(() => flowsFrom({ 'bad.yaml': 'flow: go\nsteps:\n  - say: "On {{eta | weekday}}"\n' }));
    expect(issues[0]?.message).toContain("unknown filter 'weekday'");
  });
});
