/**
 * The condition language of `if` steps, parsed at load time and evaluated without `eval`:
 *
 *   answer == 'yes'            == != (text: trimmed, case-insensitive; numbers when both sides are numeric)
 *   quantity >= 2              < > <= >= (numbers only; false when a side is not a number)
 *   reason contains 'broken'   case-insensitive substring
 *   order matches '^BW-1'      regular expression (JavaScript syntax, checked at load time)
 *   email is set               set and not empty; also `is not set`
 *   vip                        a bare variable: set, and not false or 0
 *   not (a or b) and c         precedence: not > and > or; parentheses group
 *
 * Operands are variable names, 'single' or "double" quoted strings, numbers, true and false.
 */
import { varText } from './template.ts';
import type { VarValue } from './types.ts';

export type Operand = { var: string } | { value: string | number | boolean };
export type Comparator = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'contains' | 'matches';

export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; expr: Condition }
  | { op: 'compare'; cmp: Comparator; left: Operand; right: Operand }
  | { op: 'set'; var: string }
  | { op: 'truthy'; var: string };

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; message: string; offset: number };

interface Token {
  kind: 'word' | 'string' | 'number' | 'op' | 'paren' | 'end';
  text: string;
  value?: string | number;
  at: number;
}

class ConditionError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(==|!=|<=|>=|<|>)|([()]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (/^\s*$/.test(source.slice(i))) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(source);
    if (!m) {
      const at = i + (source.slice(i).length - source.slice(i).trimStart().length);
      const ch = source[at];
      if (ch === '=') throw new ConditionError("use '==' to compare", at);
      if (ch === "'" || ch === '"') throw new ConditionError('this string is never closed', at);
      throw new ConditionError(`unexpected '${ch}'`, at);
    }
    const text = m[0].trim();
    const at = m.index + m[0].length - text.length;
    if (m[1] !== undefined) tokens.push({ kind: 'word', text, at });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text, value: Number(m[2]), at });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text, value: m[3].slice(1, -1).replace(/\\(.)/g, '$1'), at });
    else if (m[4] !== undefined) tokens.push({ kind: 'op', text, at });
    else tokens.push({ kind: 'paren', text, at });
    i = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

const RESERVED = new Set(['and', 'or', 'not', 'is', 'set', 'contains', 'matches', 'true', 'false']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Condition {
    const condition = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ConditionError(`unexpected '${rest.text}'; join conditions with and / or`, rest.at);
    return condition;
  }

  private peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }
  private next(): Token {
    const token = this.peek();
    this.i += 1;
    return token;
  }
  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === word;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { op: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Condition {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { op: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): Condition {
    if (this.isWord('not')) {
      this.next();
      return { op: 'not', expr: this.not() };
    }
    if (this.peek().text === '(') {
      this.next();
      const inner = this.or();
      const close = this.next();
      if (close.text !== ')') throw new ConditionError("missing ')'", close.at);
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const start = this.peek();
    const left = this.operand();
    if (this.isWord('is')) {
      this.next();
      const negate = this.isWord('not');
      if (negate) this.next();
      const set = this.next();
      if (set.text !== 'set') throw new ConditionError("expected 'set' after 'is'", set.at);
      if (!('var' in left)) throw new ConditionError("only a variable can be 'set'", start.at);
      const test: Condition = { op: 'set', var: left.var };
      return negate ? { op: 'not', expr: test } : test;
    }
    const token = this.peek();
    const cmp = token.kind === 'op' ? token.text : token.kind === 'word' ? token.text : undefined;
    if (cmp === '==' || cmp === '!=' || cmp === '<' || cmp === '>' || cmp === '<=' || cmp === '>=' ||
        cmp === 'contains' || cmp === 'matches') {
      this.next();
      const rightToken = this.peek();
      const right = this.operand();
      if (cmp === 'matches') this.checkRegex(right, rightToken);
      return { op: 'compare', cmp, left, right };
    }
    if ('var' in left) return { op: 'truthy', var: left.var };
    throw new ConditionError('a value alone is not a condition; compare it, e.g. answer == \'yes\'', start.at);
  }

  private checkRegex(operand: Operand, token: Token): void {
    if (!('value' in operand) || typeof operand.value !== 'string') {
      throw new ConditionError("'matches' needs a quoted regular expression", token.at);
    }
    try {
      new RegExp(operand.value, 'u');
    } catch (error) {
      throw new ConditionError(`invalid regular expression (${regexProblem(error)})`, token.at);
    }
  }

  private operand(): Operand {
    const token = this.next();
    if (token.kind === 'string' || token.kind === 'number') return { value: token.value! };
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) return { value: token.text === 'true' };
    if (token.kind === 'word' && !RESERVED.has(token.text)) return { var: token.text };
    if (token.kind === 'end') throw new ConditionError('the condition ends too early', token.at);
    throw new ConditionError(`expected a variable or a value, got '${token.text}'`, token.at);
  }
}

/** "Invalid regular expression: /(/u: Unterminated group" → "Unterminated group". */
export function regexProblem(error: unknown): string {
  return String((error as Error).message).split(': ').at(-1) ?? 'invalid';
}

export function parseCondition(source: string): ParsedCondition {
  try {
    if (source.trim() === '') return { ok: false, message: 'the condition is empty', offset: 0 };
    return { ok: true, condition: new Parser(tokenize(source)).parse() };
  } catch (error) {
    if (error instanceof ConditionError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

function numeric(value: VarValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function isSet(value: VarValue | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

export function evaluateCondition(condition: Condition, vars: Readonly<Record<string, VarValue>>): boolean {
  const read = (operand: Operand): VarValue | undefined => ('var' in operand ? vars[operand.var] : operand.value);
  switch (condition.op) {
    case 'and':
      return evaluateCondition(condition.left, vars) && evaluateCondition(condition.right, vars);
    case 'or':
      return evaluateCondition(condition.left, vars) || evaluateCondition(condition.right, vars);
    case 'not':
      return !evaluateCondition(condition.expr, vars);
    case 'set':
      return isSet(vars[condition.var]);
    case 'truthy': {
      const value = vars[condition.var];
      return isSet(value) && value !== false && value !== 0;
    }
    case 'compare':
      return compare(condition.cmp, read(condition.left), read(condition.right));
  }
}

function compare(cmp: Comparator, left: VarValue | undefined, right: VarValue | undefined): boolean {
  const a = numeric(left);
  const b = numeric(right);
  const text = (value: VarValue | undefined) => varText(value).trim().toLowerCase();
  switch (cmp) {
    case '==':
    case '!=': {
      const equal = a !== undefined && b !== undefined ? a === b : text(left) === text(right);
      return cmp === '==' ? equal : !equal;
    }
    case '<':
      return a !== undefined && b !== undefined && a < b;
    case '>':
      return a !== undefined && b !== undefined && a > b;
    case '<=':
      return a !== undefined && b !== undefined && a <= b;
    case '>=':
      return a !== undefined && b !== undefined && a >= b;
    case 'contains':
      return text(left).includes(text(right));
    case 'matches':
      return new RegExp(varText(right), 'u').test(varText(left));
  }
}
