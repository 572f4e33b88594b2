/**
 * Positions of compiled steps in their YAML. The engine names a step by its `id`, else by where it sits
 * (`#3`, `#3.then.1`); this re-reads the file and names its steps the same way, so a finding about a step
 * points at that step's line. Files are parsed only when a finding needs a position.
 */
import { LineCounter, parseDocument } from 'yaml';
import { STEP_KINDS } from '../engine/schema.ts';
import { SourceMap, type Path } from '../engine/source-map.ts';
import type { FieldPath } from './step-facts.ts';

export interface Position {
  line: number;
  col: number;
}

/** Where in a file: a step (by compiled id) and a field inside it, or a field of the flow when `step` is absent. */
export interface Place {
  step?: string;
  at?: FieldPath;
  /** Offset inside the text at `at`. */
  offset?: number;
  /** A word to point at inside the text at `at` (a variable in a condition), when no offset is known. */
  needle?: string;
}

export class FlowLocator {
  private parsed?: { map: SourceMap; data: unknown; steps: Map<string, Path> };

  constructor(readonly file: string, private readonly source: string) {}

  position(place: Place): Position {
    const { map, data, steps } = this.parse();
    const base = place.step === undefined ? [] : steps.get(place.step);
    if (base === undefined) return this.lineCol(map, ['flow']);
    const path = [...base, ...(place.at ?? [])];
    let offset = place.offset;
    if (offset === undefined && place.needle !== undefined) {
      const text = valueAt(data, path);
      const found = typeof text === 'string' ? text.search(new RegExp(`\\b${escape(place.needle)}\\b`, 'u')) : -1;
      if (found >= 0) offset = found;
    }
    return this.lineCol(map, path, offset);
  }

  private lineCol(map: SourceMap, path: Path, offset?: number): Position {
    const { line, col } = map.issue({ path, message: '', ...(offset === undefined ? {} : { offset }) });
    return { line, col };
  }

  private parse() {
    if (!this.parsed) {
      const lines = new LineCounter();
      const doc = parseDocument(this.source, { lineCounter: lines, prettyErrors: false });
      const data: unknown = doc.toJS({ maxAliasCount: 100 });
      this.parsed = { map: new SourceMap(this.file, this.source, doc, lines), data, steps: stepPaths(data) };
    }
    return this.parsed;
  }
}

const KINDS: readonly string[] = STEP_KINDS;
/** Keys whose values are data, never steps, even when they look like one. */
const DATA_KEYS = new Set(['buttons', 'validate', 'set']);

function isStepLike(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.keys(value).some((key) => KINDS.includes(key));
}

/** A branch that is only `{ goto: x }` is a jump, not a step of its own (as in compile.ts). */
function isDirectJump(value: Record<string, unknown>): boolean {
  return 'goto' in value && value.id === undefined;
}

/** Compiled step id → path of the step in the data, named as compile.ts names them. */
export function stepPaths(data: unknown): Map<string, Path> {
  const paths = new Map<string, Path>();
  const place = (list: { step: unknown; path: Path }[], prefix: string) => {
    list.forEach(({ step, path }, i) => {
      if (!isObject(step)) return;
      const id = typeof step.id === 'string' ? step.id : `${prefix}${i + 1}`;
      if (!paths.has(id)) paths.set(id, path);
      for (const [key, branch] of Object.entries(step)) {
        if (DATA_KEYS.has(key) || KINDS.includes(key)) continue;
        if (Array.isArray(branch) && branch.length > 0 && branch.every(isStepLike)) {
          place(branch.map((s, j) => ({ step: s, path: [...path, key, j] })), `${id}.${key}.`);
        } else if (isStepLike(branch) && !isDirectJump(branch)) {
          place([{ step: branch, path: [...path, key] }], `${id}.${key}.`);
        }
      }
    });
  };
  const steps = isObject(data) && Array.isArray(data.steps) ? data.steps : [];
  place(steps.map((step: unknown, i) => ({ step, path: ['steps', i] })), '#');
  return paths;
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) node = isObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[segment] : undefined;
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
