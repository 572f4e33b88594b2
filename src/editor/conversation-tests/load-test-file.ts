import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../../engine/describe-issues.ts';
import type { FlowIssue } from '../../engine/model.ts';
import { sortIssues } from '../../engine/parse-flow-file.ts';
import { SourceMap } from '../../engine/source-map.ts';
import { ConversationTestFileSchema, type ConversationTestFile } from './test-file-schema.ts';

/** Conversation test files: `*.test.yaml` / `*.test.yml`. */
export function isConversationTestFile(name: string): boolean {
  return /\.test\.ya?ml$/i.test(name);
}

export type LoadedTestFile =
  | { ok: true; file: string; spec: ConversationTestFile; turnAt(test: number, turn: number): { line: number; col: number } }
  | { ok: false; file: string; issues: FlowIssue[] };

/** Parses and checks one conversation test file, with positions for every problem and every turn. */
export function loadTestFile(file: string, source: string): LoadedTestFile {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const map = new SourceMap(file, source, doc, lines);
  if (doc.errors.length > 0) {
    return { ok: false, file, issues: doc.errors.map((error) => map.offsetIssue(error.pos[0], `YAML: ${error.message.split('\n')[0]}`)) };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = ConversationTestFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, data).map((problem) => map.issue(problem));
    return { ok: false, file, issues: sortIssues(issues) };
  }
  return {
    ok: true,
    file,
    spec: parsed.data,
    turnAt(test, turn) {
      const { line, col } = map.issue({ path: ['tests', test, 'turns', turn], message: '' });
      return { line, col };
    },
  };
}
