import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../../src/engine/index.ts';
import type { VarValue } from '../../src/engine/index.ts';

function holds(source: string, vars: Record<string, VarValue>): boolean {
  const parsed = parseCondition(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.message}`);
  return evaluateCondition(parsed.condition, vars);
}

describe('conditions', () => {
  const vars = { answer: ' Yes ', qty: 3, code: 'BW-12345', note: 'Screen is Broken', vip: true, zero: 0, empty: '' };

  it.each([
    ["answer == 'yes'", true],
    ["answer != 'yes'", false],
    ['qty == 3', true],
    ["qty == '3.0'", true],
    ['qty > 2 and qty < 4', true],
    ['qty >= 4 or qty <= 2', false],
    ["answer > 2", false],
    ["note contains 'broken'", true],
    ["code matches '^BW-1'", true],
    ["code matches '^BW-2'", false],
    ['vip', true],
    ['zero', false],
    ['missing', false],
    ['empty is set', false],
    ['code is set', true],
    ['missing is not set', true],
    ["not (qty == 3 or vip) and vip", false],
    ["not (qty == 4 or zero) and vip", true],
    ["not qty == 4", true],
    ['vip == true', true],
    ["missing == ''", true],
    ['a or b and c', false],
  ] as const)('%s → %s', (source, expected) => {
    expect(holds(source, vars)).toBe(expected);
  });

  it('binds and tighter than or', () => {
    expect(holds('x or y and z', { x: true, y: false, z: false })).toBe(true);
    expect(holds('(x or y) and z', { x: true, y: false, z: false })).toBe(false);
  });

  it.each([
    ["answer = 'yes'", "use '==' to compare", 7],
    ["answer == 'yes", 'this string is never closed', 10],
    ['qty >', 'the condition ends too early', 5],
    ["code matches '(' ", 'invalid regular expression (Unterminated group)', 13],
    ['code matches pattern', "'matches' needs a quoted regular expression", 13],
    ["'yes'", "a value alone is not a condition; compare it, e.g. answer == 'yes'", 0],
    ['(qty > 1', "missing ')'", 8],
    ['qty > 1 qty', "unexpected 'qty'; join conditions with and / or", 8],
    ['qty is empty', "expected 'set' after 'is'", 7],
    ['', 'the condition is empty', 0],
    ['qty & 1', "unexpected '&'", 4],
  ] as const)('%s is rejected at its offset', (source, message, offset) => {
    expect(parseCondition(source)).toEqual({ ok: false, message, offset });
  });
});
