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
    ['Hi {{first name}}', "'{{first name}}' must hold one variable name, like {{order_number}}", 3],
    ['Hi {{}}', "'{{}}' must hold one variable name, like {{order_number}}", 3],
  ] as const)('%s is malformed', (text, message, offset) => {
    expect(checkTemplate(text)).toEqual({ message, offset });
  });
});
