import { describe, expect, it } from 'vitest';
import { angerLevel, isRepeatedQuestion, questionKey } from '../../src/handoff/frustration.ts';
import { detectPersonRequest } from '../../src/handoff/person-request.ts';

describe('asking for a person, in any words', () => {
  it.each([
    'agent', 'Human!', 'agent please', 'a real person', 'operator', 'can I talk to someone', 'I want to speak to a human being',
    'let me speak with a representative', 'connect me to customer service', 'get me a live agent now', 'is there a real person there?',
    'I need to talk to somebody about my refund', 'stop bot', 'Mitarbeiter bitte', 'Ich möchte mit einem Menschen sprechen',
    'Kann ich mit jemandem vom Kundendienst reden?', 'bitte verbinden Sie mich mit einem Berater', 'echter Mensch bitte', 'Kundenservice',
    'the app is broken. when can you fix it? I want a human now',
  ])('%s', (text) => {
    expect(detectPersonRequest(text)).toBeDefined();
  });

  it.each([
    'where is my order', 'the delivery person left it at the door', "I don't want to talk to an agent, just tell me the hours",
    'no human needed, thanks', 'Ich brauche keinen Menschen, nur die Öffnungszeiten', 'what time do you open', 'my order number is BW-12345',
    'Wo ist meine Bestellung?', '',
    // Asking when a person can be reached is a question about the hours, not a request for one.
    'when can i chat with a person', 'what time can I talk to someone on Saturday', 'Wann kann ich mit einem Mitarbeiter sprechen?',
    'bis wann ist der Kundenservice erreichbar',
  ])('not: %s', (text) => {
    expect(detectPersonRequest(text)).toBeUndefined();
  });
});

describe('frustration', () => {
  it.each([
    ['where is my order', 0],
    ['this is useless', 1],
    ['THIS IS RIDICULOUS', 2],
    ['useless!!', 2],
    ['what the fuck', 2],
    ['Das ist lächerlich', 1],
    ['So eine Scheiße', 2],
  ] as const)('%s → %i', (text, level) => {
    expect(angerLevel(text)).toBe(level);
  });

  it('recognises the same question asked again, not a short answer typed twice', () => {
    const before = [questionKey('Do you ship to Canada?')];
    expect(isRepeatedQuestion('do you ship to canada', before)).toBe(true);
    expect(isRepeatedQuestion('do you ship to Canada?? hello??', before)).toBe(true);
    expect(isRepeatedQuestion('do you ship to Mexico', before)).toBe(false);
    expect(isRepeatedQuestion('yes', [questionKey('yes')])).toBe(false);
  });
});
