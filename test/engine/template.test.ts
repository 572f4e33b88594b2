import { describe, expect, it } from 'vitest';
import { checkTemplate, renderTemplate } from '../../src/engine/template.ts';

describe('templates', () => {
  it('fills variables, tolerating spaces inside the braces, and leaves unset ones empty', () => {
    expect(renderTemplate('Order {{ order }} for {{name}}.{{missing}}', { order: 'BW-12345', name: 'Ana' }))
      .toBe('Order BW-12345 for Ana.');
    expect(renderTemplate('{{n}} items, vip: {{vip}}', { n: 2, vip: false })).toBe('2 items, vip: false');
  });

  it('accepts text without placeholders and single braces', () => {
    expect(checkTemplate('Prices in {EUR}, no placeholders')).toBeUndefined();
    expect(checkTemplate('{{a}}{{b}}')).toBeUndefined();
  });

  it.each([
    ['Hi {{name}', "'{{' is never closed with '}}'", 3],
    ['Hi {name}}', "'}}' without a matching '{{'", 8],
    ['Hi {{first name}}', "'{{first name}}' must hold one variable name, like {{order_number}} or {{eta | date}}", 3],
    ['Hi {{}}', "'{{}}' must hold one variable name, like {{order_number}} or {{eta | date}}", 3],
    ['On {{eta | dat}}', "unknown filter 'dat' in '{{eta | dat}}' (known: date, time, datetime)", 3],
    ['On {{eta | date | time}}', "'{{eta | date | time}}' must hold one variable name, like {{order_number}} or {{eta | date}}", 3],
  ] as const)('%s is malformed', (text, message, offset) => {
    expect(checkTemplate(text)).toEqual({ message, offset });
  });

  describe('date filters', () => {
    it('write a delivery day as people read it, in the conversation\'s language', () => {
      const text = 'arrives on {{eta | date}}';
      expect(renderTemplate(text, { eta: '2026-12-07', locale: 'en' })).toBe('arrives on 7 December');
      expect(renderTemplate(text, { eta: '2026-12-07', locale: 'de' })).toBe('arrives on 7. Dezember');
      expect(renderTemplate(text, { eta: '2026-12-07', locale: 'en-US' })).toBe('arrives on December 7');
      expect(renderTemplate(text, { eta: '2026-12-07' })).toBe('arrives on 7 December');
      // The step's locale (the flow's default when the conversation has none) wins over the variable.
      expect(renderTemplate(text, { eta: '2026-12-07', locale: 'en' }, 'de-AT')).toBe('arrives on 7. Dezember');
    });

    it('show times as the value writes them, whatever time zone the server runs in', () => {
      const vars = { at: '2026-12-07T14:30:00+01:00', utc: '2026-12-07T23:45:00Z', day: '2026-12-07' };
      expect(renderTemplate('{{at | time}} / {{utc | time}}', { ...vars, locale: 'de' })).toBe('14:30 / 23:45');
      expect(renderTemplate('{{at | datetime}}', { ...vars, locale: 'en' })).toBe('7 December at 14:30');
      expect(renderTemplate('{{at | datetime}}', { ...vars, locale: 'de' })).toBe('7. Dezember um 14:30');
      expect(renderTemplate('{{utc | date}}', { ...vars, locale: 'en' })).toBe('7 December');
      expect(renderTemplate('{{day | datetime}}', { ...vars, locale: 'de' })).toBe('7. Dezember');
    });

    it('leave values that are no date (or a time filter on a bare day) as they are', () => {
      const vars = { soon: 'in 2 days', n: 3, bad: '2026-02-31', day: '2026-12-07', empty: '' };
      expect(renderTemplate('{{soon | date}}|{{n | date}}|{{bad | date}}|{{day | time}}|{{empty | date}}|{{unset | date}}', vars))
        .toBe('in 2 days|3|2026-02-31|2026-12-07||');
    });

    it('fall back to English for a locale Intl does not know', () => {
      expect(renderTemplate('{{d | date}}', { d: '2026-12-07', locale: 'not a locale!' })).toBe('7 December');
    });
  });
});
