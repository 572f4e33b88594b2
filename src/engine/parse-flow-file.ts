import { LineCounter, parseDocument } from 'yaml';
import { ParleyError } from '../core/errors.ts';
import { compileFlow, type FlowRef } from './compile.ts';
import { describeIssues } from './describe-issues.ts';
import type { Flow, FlowIssue } from './model.ts';
import { FlowFileSchema } from './schema.ts';
import { SourceMap } from './source-map.ts';

/** Plain-words hints for the YAML mistakes editors make most. */
const YAML_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'text with ": " in it needs quotes',
  TAB_AS_INDENT: 'indent with spaces',
  DUPLICATE_KEY: 'the same key appears twice here',
  BAD_DQ_ESCAPE: 'inside "double quotes" write \\\\ for one backslash, or use single quotes',
};

export interface FileCheck {
  file: string;
  flow?: Flow;
  issues: FlowIssue[];
  /** Flows this file needs from the others; checked when the flow set is built. */
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
 * does not parse, only its syntax errors are reported; when the schema fails, only the schema's problems.
 */
export function checkFlowFile(file: string, source: string): FileCheck {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
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
    return result(doc.errors.map((error) => {
      const hint = YAML_HINTS[error.code];
      return map.offsetIssue(error.pos[0], `YAML: ${error.message.split('\n')[0]}${hint ? ` (${hint})` : ''}`);
    }));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    return result([{ file, line: 1, col: 1, message: 'the file is empty; a flow needs `flow:` and `steps:`' }]);
  }
  declares = declared(data);
  const parsed = FlowFileSchema.safeParse(data);
  if (!parsed.success) return result(describeIssues(parsed.error.issues, data).map((problem) => map.issue(problem)));
  const compiled = compileFlow(parsed.data, map);
  return result(compiled.issues, compiled.refs, compiled.flow);
}

function declared(data: unknown): FileCheck['declares'] {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as { flow?: unknown; triggers?: { payloads?: unknown } };
  const payloads = Array.isArray(raw.triggers?.payloads) ? raw.triggers.payloads.filter((p) => typeof p === 'string') : [];
  return { ...(typeof raw.flow === 'string' ? { name: raw.flow } : {}), payloads };
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
