/**
 * The problems of a whole file set, found by the checks the CLI runs: `parley flows check` on the flow files (with
 * the set's own articles for its keyword warnings), `parley kb check` on the knowledge files, and the conversation
 * test files' own schema. Every problem names its studio path; errors stop a publish, warnings do not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFlowSources } from '../editor/check-flows.ts';
import { loadTestFile } from '../editor/conversation-tests/load-test-file.ts';
import { loadKnowledge } from '../kb/load.ts';
import { writeFileSet, type FileSet } from './file-set.ts';
import { kindOf } from './studio-paths.ts';

export interface StudioProblem {
  path: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

export async function checkFileSet(files: FileSet): Promise<StudioProblem[]> {
  const entries = Object.entries(files);
  const knowledge = await checkKnowledge(Object.fromEntries(entries.filter(([name]) => name.startsWith('knowledge/'))));
  const flowSources = entries.filter(([name]) => kindOf(name) === 'flow').map(([file, source]) => ({ file, source }));
  const flows = flowSources.length > 0 ? checkFlowSources(flowSources, { knowledge: knowledge.articles }).problems : [];
  const tests = entries
    .filter(([name]) => kindOf(name) === 'test')
    .flatMap(([name, source]) => {
      const loaded = loadTestFile(name, source);
      return loaded.ok ? [] : loaded.issues;
    });
  const problems: StudioProblem[] = [
    ...flows.map(({ file, line, col, severity, message }) => ({ path: file, line, col, severity, message })),
    ...tests.map(({ file, line, col, message }) => ({ path: file, line, col, severity: 'error' as const, message })),
    ...knowledge.problems,
  ];
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.col - b.col));
}

export function hasErrors(problems: readonly StudioProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** The knowledge files as the knowledge base loads them (from a scratch folder), and what it leaves out, as errors. */
async function checkKnowledge(files: FileSet) {
  const scratch = await mkdtemp(path.join(tmpdir(), 'parley-studio-check-'));
  try {
    const root = path.join(scratch, 'set');
    await writeFileSet(files, root);
    const dir = path.join(root, 'knowledge');
    const loaded = await loadKnowledge(dir);
    const problems: StudioProblem[] = loaded.issues.map((issue) => ({
      path: `knowledge/${path.relative(dir, issue.file).split(path.sep).join('/')}`,
      line: issue.line, col: 1, severity: 'error', message: issue.message,
    }));
    return { articles: loaded.articles, problems };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
