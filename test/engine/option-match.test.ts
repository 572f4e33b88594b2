import { describe, expect, it } from 'vitest';
import { matchOption } from '../../src/engine/option-match.ts';

const condition = [
  { title: { en: 'Still unopened', de: 'Originalverpackt' }, payload: 'unopened' },
  { title: { en: 'Opened, works fine', de: 'Geöffnet, intakt' }, payload: 'opened' },
  { title: { en: 'Defective or damaged', de: 'Defekt/beschädigt' }, payload: 'defective' },
];
const yesNo = [{ title: 'Yes', payload: 'yes' }, { title: 'No', payload: 'no' }];
const sizes = [{ title: 'Small', payload: 's' }, { title: 'Medium', payload: 'm' }, { title: 'Large', payload: 'l' }];
const contactWay = [{ title: 'By email', payload: 'email' }, { title: 'By phone', payload: 'phone' }];

describe('a choice answered in other words', () => {
  it.each([
    // word order, synonyms, partial wording
    ['they are opened but work fine', 'opened'],
    ["I unpacked it but it's fine", 'opened'],
    ['used it twice, all good', 'opened'],
    ['still sealed', 'unopened'],
    ['still in the plastic, never opened it', 'unopened'],
    ['in its original packaging', 'unopened'],
    ['it arrived cracked', 'defective'],
    ["the thing won't turn on", 'defective'],
    ['doesnt work', 'defective'],
    ['opened but broken', 'defective'],
    ['the screen is scratched', 'defective'],
    // German, with the negation after the verb
    ['hab sie ausgepackt, funktionieren aber', 'opened'],
    ['noch originalverpackt', 'unopened'],
    ['das Ding ist kaputt', 'defective'],
    ['es funktioniert nicht mehr', 'defective'],
    ['nicht geöffnet', 'unopened'],
    // typos of words that are no words
    ['opend', 'opened'],
    ['defectiv', 'defective'],
  ])('"%s" → %s', (answer, payload) => {
    expect(matchOption(answer, condition)).toBe(payload);
  });

  it.each(['it is blue', "I don't know", 'not sure', 'wait, how long is the warranty?', ''])('"%s" matches no option', (answer) => {
    expect(matchOption(answer, condition)).toBeUndefined();
  });

  it('reads yes and no, sizes and ways of contact in both languages', () => {
    expect(['yeah sure', 'ja gerne', 'nope', 'nein danke', 'no, thanks'].map((a) => matchOption(a, yesNo))).toEqual(['yes', 'yes', 'no', 'no', 'no']);
    expect(['the big one', 'klein bitte', 'medium please'].map((a) => matchOption(a, sizes))).toEqual(['l', 's', 'm']);
    expect(['just mail me', 'ruf mich an, telefonisch', 'a call is better'].map((a) => matchOption(a, contactWay))).toEqual(['email', 'phone', 'phone']);
  });

  it('"not sure" is never read as "no"', () => {
    expect(matchOption('not sure', yesNo)).toBeUndefined();
  });

  it('a word of the known vocabulary is never taken for a typo of an option', () => {
    const options = [{ title: 'Works', payload: 'works' }, { title: 'Other', payload: 'other' }];
    expect(matchOption('words', options)).toBe('works');
    expect(matchOption('words', options, (word) => word === 'words')).toBeUndefined();
  });

  it('two options that fit equally are no match', () => {
    expect(matchOption('blue', [{ title: 'Blue case', payload: 'a' }, { title: 'Blue strap', payload: 'b' }])).toBeUndefined();
    expect(matchOption('blue case', [{ title: 'Blue case', payload: 'a' }, { title: 'Blue strap', payload: 'b' }])).toBe('a');
  });
});
