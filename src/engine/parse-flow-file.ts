import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ParleyError } from '../core/errors.ts';
import { compileFlow, type FlowRef } from './compile.ts';
import { describeIssues } from './describe-issues.ts';
import type { Flow, FlowIssue } from './model.ts';
import { salvageFlowInput } from './salvage-flow.ts';
import { FlowFileSchema } from './schema.ts';
import { SourceMap } from './source-map.ts';

/** Plain-words hints for the YAML mistakes editors make most. */
const YAML_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'text with ": " in it needs quotes',
  TAB_AS_INDENT: 'indent with spaces',
  DUPLICATE_KEY: 'the same key appears twice here',
  BAD_DQ_ESCAPE: 'inside "double quotes" write \\\\ for one backslash, or use single quotes',
};

const INDENT_HINT = 'check the indentation: the items of one list, and the keys of one step, start at the same column';

function yamlHint(error: YAMLError): string | undefined {
  if (/block sequence may not be used as an implicit map key|must start at the same column/.test(error.message)) return INDENT_HINT;
  return YAML_HINTS[error.code];
}

export interface FileCheck {
  file: string;
  flow?: Flow;
  issues: FlowIssue[];
  /** Flows this file needs from the others; checked when the flow set is built, also for a file that failed the schema. */
  refs: FlowRef[];
  /**
   * What a file that failed its checks still seems to declare, so that other files' references to it are
   * not reported as well (one mistake, one message).
   */
  declares: { name?: string; payloads: string[] };
  /** Positions of keys the flow set checks across files (the name, start, fallback, payloads). */
  at: (path: readonly PropertyKey[]) => Omit<FlowIssue, 'message'>;
}

/**
 * Checks one flow file on its own: YAML syntax, the schema, and everything inside the file. When the YAML
 * does not parse, only its syntax errors are reported (one per line: one slip often upsets the parser
 * several times at the same place). When the schema fails, its problems come with those the rest of the
 * file still shows (see salvage-flow.ts), but the file yields no flow.
 */
export function checkFlowFile(file: string, source: string): FileCheck {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const map = new SourceMap(file, source, doc, lines);
  const at = (path: readonly PropertyKey[]) => {
    const { message: _, ...position } = map.issue({ path, message: '' });
    return position;
  };
  let declares: FileCheck['declares'] = { payloads: [] };
  const result = (issues: FlowIssue[], refs: FlowRef[] = [], flow?: Flow): FileCheck => ({
    file, issues: sortIssues(issues), refs, at, declares, ...(flow ? { flow } : {}),
  });
  if (doc.errors.length > 0) {
    declares = declared(partialData(doc), source);
    const lineOf = (error: YAMLError) => lines.linePos(error.pos[0]).line;
    const firstOnItsLine = doc.errors.filter((error, i) => doc.errors.findIndex((e) => lineOf(e) === lineOf(error)) === i);
    return result(firstOnItsLine.map((error) => {
      const hint = yamlHint(error);
      return map.offsetIssue(skipSpaces(source, error.pos[0]), `YAML: ${error.message.split('\n')[0]}${hint ? ` (${hint})` : ''}`);
    }));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    return result([{ file, line: 1, col: 1, message: 'the file is empty; a flow needs `flow:` and `steps:`' }]);
  }
  declares = declared(data, source);
  const parsed = FlowFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, data).map((problem) => map.issue(problem));
    const salvaged = salvageFlowInput(data);
    if (!salvaged) return result(problems);
    const rest = compileFlow(salvaged, map);
    return result([...problems, ...rest.issues], rest.refs);
  }
  const compiled = compileFlow(parsed.data, map);
  return result(compiled.issues, compiled.refs, compiled.flow);
}

/** Some errors point at a line's indentation; the mistake is what follows it. */
function skipSpaces(source: string, offset: number): number {
  let at = offset;
  while (source[at] === ' ') at += 1;
  return at < source.length && source[at] !== '\n' && source[at] !== '\r' ? at : offset;
}

/** What the parser made of a document with syntax errors (usually most of it). */
function partialData(doc: ReturnType<typeof parseDocument>): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function declared(data: unknown, source: string): FileCheck['declares'] {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as { flow?: unknown; triggers?: { payloads?: unknown } };
  const payloads = Array.isArray(raw.triggers?.payloads) ? raw.triggers.payloads.filter((p) => typeof p === 'string') : [];
  // A slip can leave `flow:` unreadable as data although its line is intact (`flow: x` then ` triggers:`).
  const name = typeof raw.flow === 'string' ? raw.flow : /^flow:[ \t]*["']?([A-Za-z_][A-Za-z0-9_-]*)["']?[ \t]*(#.*)?$/m.exec(source)?.[1];
  return { ...(name === undefined ? {} : { name }), payloads };
}

/**
 * Parses one flow file on its own. Throws FLOW_INVALID listing every problem in it. Jumps and button
 * payloads that name other flows are checked only by buildFlowSet / loadFlows, which see all files.
 */
export function parseFlowFile(file: string, source: string): Flow {
  const check = checkFlowFile(file, source);
  if (!check.flow || check.issues.length > 0) throw flowInvalid(check.issues);
  return check.flow;
}

export function formatFlowIssues(issues: readonly FlowIssue[]): string {
  return issues.map((issue) => `${issue.file}:${issue.line}:${issue.col}  ${issue.message}`).join('\n');
}

export function flowInvalid(issues: FlowIssue[]): ParleyError {
  return new ParleyError('FLOW_INVALID', formatFlowIssues(issues), { details: issues });
}

export function sortIssues(issues: FlowIssue[]): FlowIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((issue) => {
      const key = `${issue.file}:${issue.line}:${issue.col}:${issue.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}
