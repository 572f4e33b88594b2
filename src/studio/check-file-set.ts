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
  return check(files, () => true, true);
}

/**
 * The problems that stop a publish of `files` over the release `published` (absent: the first release): the flows and
 * conversation tests all checked (a few files, which name each other), of the knowledge only the files added or changed
 * since `published`, whose files were checked when it was published (at 100,000 passages in 100 files, one file
 * parsed instead of all of them). Without the flows' warnings about keywords many articles use (they need every
 * article, and a warning never stops a publish). Not found here: an article id that a changed file takes from an
 * unchanged one (the knowledge base leaves the second out, as always, and the studio's file list names it).
 */
export async function checkChanges(files: FileSet, published: FileSet | undefined): Promise<StudioProblem[]> {
  if (!published) return checkFileSet(files);
  return check(files, (name, content) => published[name] !== content, false);
}

/** `checked`: which knowledge files to check; `keywords`: whether the flows' keywords are checked against the articles. */
async function check(files: FileSet, checked: (name: string, content: string) => boolean, keywords: boolean): Promise<StudioProblem[]> {
  const entries = Object.entries(files);
  const knowledge = await checkKnowledge(Object.fromEntries(entries.filter(([name, content]) => name.startsWith('knowledge/') && checked(name, content))));
  const flowSources = entries.filter(([name]) => kindOf(name) === 'flow').map(([file, source]) => ({ file, source }));
  const flows = flowSources.length > 0 ? checkFlowSources(flowSources, keywords ? { knowledge: knowledge.articles } : {}).problems : [];
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
