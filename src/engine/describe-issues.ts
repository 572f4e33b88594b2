/**
 * Turns zod's issues into one clear problem each, at the right node. zod reports a failed union as the
 * failures of every option; we pick the option the editor meant (for steps: the one named by the step's
 * type key) so "unknown key 'buttns'" is reported instead of seven alternatives.
 */
import type { core } from 'zod';
import { BRANCH_KEYS as BRANCH_KEYS_LIST, KNOWN_KEYS, STEP_KINDS } from './schema.ts';
import type { Path, Problem } from './source-map.ts';

type Issue = core.$ZodIssue;

export function describeIssues(issues: readonly Issue[], data: unknown, base: Path = []): Problem[] {
  return issues.flatMap((issue) => describe(issue, data, [...base, ...issue.path]));
}

function describe(issue: Issue, data: unknown, path: Path): Problem[] {
  const value = valueAt(data, path);
  const name = label(path);
  switch (issue.code) {
    case 'invalid_union':
      return describeUnion(issue, data, path, value);
    case 'invalid_type':
      if (value === undefined) return [{ path, at: 'parent', message: `missing required field '${String(path.at(-1))}'` }];
      return [{ path, message: `${name} must be ${article(issue.expected)}, not ${show(value)}` }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], at: 'key' as const, message: unknownKey(key) }));
    case 'invalid_value':
      if (value === 'pattern') {
        return [{ path, message: "validate: pattern needs the pattern itself: validate: { type: pattern, pattern: '...' }" }];
      }
      return [{ path, message: `${name} must be ${issue.values.map(show).join(' or ')}, not ${show(value)}` }];
    case 'too_small':
      if (issue.origin === 'string') return [{ path, message: `${name} must not be empty` }];
      if (path.length === 1 && path[0] === 'steps') return [{ path, at: 'key', message: 'the flow has no steps' }];
      return [{ path, message: `${name} needs at least ${String(issue.minimum)} item(s)` }];
    case 'too_big':
      return [{ path, message: `${name} must be at most ${String(issue.maximum)}` }];
    case 'invalid_format':
      return [{ path, message: `${name} ${show(value)} ${issue.message}` }];
    case 'invalid_key':
      return [{ path, at: 'key', message: `'${String(path.at(-1))}' is not a valid variable name (letters, digits or _)` }];
    case 'custom': {
      const offset = (issue.params as { offset?: number } | undefined)?.offset;
      return [{ path, message: issue.message, ...(offset === undefined ? {} : { offset }) }];
    }
    default:
      return [{ path, message: `${name}: ${issue.message}` }];
  }
}

function describeUnion(issue: Extract<Issue, { code: 'invalid_union' }>, data: unknown, path: Path, value: unknown): Problem[] {
  if ('note' in issue && issue.note === 'No matching discriminator') {
    const allowed = (issue as { options?: unknown[] }).options ?? [];
    return [{ path, message: `unknown ${label(path)} ${show(value)}; use one of ${allowed.map(show).join(', ')}` }];
  }
  const options = issue.errors.map((errors, index) => ({ errors, index }));
  const candidates = options.filter((option) => !shapeMismatch(option.errors, value));
  const stepPosition = isStepPosition(path);
  if (candidates.length === 0) {
    const message = stepPosition
      ? 'a step must be a mapping, like `say: Hello`'
      : `${label(path)} must be ${expectation(expectedOf(issue.errors))}, not ${show(value)}`;
    return [{ path, message }];
  }
  if (candidates.length === 1) return describeIssues(candidates[0]!.errors, data, path);
  if (stepPosition && isPlainObject(value) && issue.errors.length === STEP_KINDS.length) {
    const kind = STEP_KINDS.findIndex((key) => key in value);
    if (kind === -1) {
      const first = Object.keys(value).find((key) => key !== 'id');
      const hint = first ? suggest(first, STEP_KINDS) : undefined;
      return [{
        path: first ? [...path, first] : path,
        at: 'key',
        message: `unknown step type${first ? ` '${first}'` : ''}${hint ? ` (did you mean '${hint}'?)` : ''}; a step is one of ${STEP_KINDS.join(', ')}`,
      }];
    }
    return describeIssues(issue.errors[kind]!, data, path);
  }
  const best = candidates.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
  return describeIssues(best.errors, data, path);
}

/** An option that failed only because the value has another shape (text where a mapping was expected…). */
function shapeMismatch(errors: readonly Issue[], value: unknown): boolean {
  return errors.length > 0 && errors.every((issue) => {
    if (issue.path.length > 0) return false;
    if (issue.code === 'invalid_type') return true;
    if (issue.code === 'invalid_value') return typeof value === 'object' && value !== null;
    if (issue.code === 'invalid_union') return issue.errors.length > 0 && issue.errors.every((e) => shapeMismatch(e, value));
    return false;
  });
}

/** "text or a mapping" is how a text shown to customers reads to zod; say what the mapping is for. */
function expectation(expected: string[]): string {
  if (expected.length === 2 && expected.includes('text') && expected.includes('a mapping')) {
    return 'text, or one text per language (en: …, de: …)';
  }
  return expected.join(' or ');
}

function expectedOf(lists: readonly (readonly Issue[])[]): string[] {
  const out = new Set<string>();
  for (const issue of lists.flat()) {
    if (issue.code === 'invalid_type') out.add(article(issue.expected));
    else if (issue.code === 'invalid_union') expectedOf(issue.errors).forEach((e) => out.add(e));
    else if (issue.code === 'invalid_value') issue.values.forEach((v) => out.add(show(v)));
  }
  return [...out];
}

const BRANCH_KEYS = new Set<PropertyKey>(BRANCH_KEYS_LIST);

function isStepPosition(path: Path): boolean {
  const last = path.at(-1);
  const before = path.at(-2);
  if (typeof last === 'number') return before === 'steps' || (before !== undefined && BRANCH_KEYS.has(before));
  return last !== undefined && BRANCH_KEYS.has(last);
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

function label(path: Path): string {
  let index = path.length - 1;
  while (index >= 0 && typeof path[index] !== 'string') index -= 1;
  if (index === -1) return 'the file';
  const key = String(path[index]);
  return index === path.length - 1 ? key : `each item of ${key}`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'text', record: 'a mapping', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'a mapping',
    array: 'a list', null: 'empty',
  };
  return words[expected] ?? expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKey(key: string): string {
  if (KNOWN_KEYS.includes(key)) return `'${key}' is not allowed here`;
  const hint = suggest(key, KNOWN_KEYS);
  return `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
}

/** The closest known word within two edits, for typo hints. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  const lower = word.toLowerCase();
  for (const candidate of known) {
    // Two words differing in length by more than 2 are more than 2 edits apart: a pasted paragraph costs nothing.
    if (Math.abs(lower.length - candidate.length) > 2) continue;
    const distance = editDistance(lower, candidate);
    if (distance <= 2 && distance < word.length && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
