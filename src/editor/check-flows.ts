/**
 * `parley flows check`: every problem in every flow file at once. The engine's loader finds what makes a
 * file unusable (YAML, schema, unknown steps and flows, duplicates); the checks in ./checks find what makes a
 * flow behave badly (loops, unreachable steps, unset variables, colliding triggers, buttons, channel limits,
 * missing translations, keywords common in the knowledge base).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ParleyError } from '../core/errors.ts';
import { checkFlowSet, type FlowSource } from '../engine/flow-set.ts';
import { isFlowFile } from '../engine/load-flows.ts';
import type { Flow, FlowIssue } from '../engine/model.ts';
import type { Article } from '../kb/types.ts';
import { missingTranslations } from '../engine/translations.ts';
import { checkButtons } from './checks/buttons.ts';
import { checkChannelLimits } from './checks/channel-limits.ts';
import { checkKnowledgeKeywords, indexKnowledgeTerms } from './checks/knowledge-keywords.ts';
import type { Check, CheckContext, Severity } from './checks/finding.ts';
import { checkLoops } from './checks/loops.ts';
import { checkReachability } from './checks/reachability.ts';
import { checkTriggers } from './checks/triggers.ts';
import { checkVariables } from './checks/variables.ts';
import { FlowGraph } from './flow-graph.ts';
import { FlowLocator } from './locate.ts';

/** A problem with its place in a file and how bad it is. */
export interface Problem extends FlowIssue {
  severity: Severity;
}

export interface CheckResult {
  files: number;
  flows: number;
  problems: Problem[];
}

export const CHECKS: readonly Check[] = [checkReachability, checkLoops, checkVariables, checkTriggers, checkButtons, checkChannelLimits, checkKnowledgeKeywords];

export interface CheckOptions {
  /** The knowledge base's articles, to warn about keywords many of them use; absent: no such warnings. */
  knowledge?: readonly Article[];
}

/** Reads every flow file under `dir` (recursively); names files relative to `cwd`, as the editor types them. */
export async function readFlowSources(dir: string, cwd = process.cwd()): Promise<FlowSource[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ParleyError('BAD_REQUEST', `no flows directory at ${dir}`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isFlowFile(entry.name))
    .map((entry) => path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name))
    .sort();
  return Promise.all(files.map(async (file) => ({ file: path.relative(cwd, file) || file, source: await readFile(file, 'utf8') })));
}

/** Checks the flow files under `dir`, and their keywords against the knowledge base in `knowledgeDir` when there is one. */
export async function checkFlowsDir(dir: string, cwd = process.cwd(), options: { knowledgeDir?: string } = {}): Promise<CheckResult> {
  const [sources, knowledge] = await Promise.all([readFlowSources(dir, cwd), readKnowledge(options.knowledgeDir)]);
  return { files: sources.length, ...checkFlowSources(sources, knowledge ? { knowledge } : {}) };
}

/** The articles under `dir`; none when there is no such directory (a broken file is left out, as the server does). */
async function readKnowledge(dir: string | undefined): Promise<readonly Article[] | undefined> {
  if (dir === undefined || !(await stat(dir).catch(() => undefined))?.isDirectory()) return undefined;
  const { loadKnowledge } = await import('../kb/load.ts');
  return (await loadKnowledge(dir)).articles;
}

export function checkFlowSources(sources: readonly FlowSource[], options: CheckOptions = {}): { flows: number; problems: Problem[] } {
  const checked = checkFlowSet(sources);
  const problems: Problem[] = checked.issues.map((issue) => ({ ...issue, severity: 'error' as const }));
  const flows = new Map<string, Flow>(checked.set.flows);

  const locators = new Map<string, FlowLocator>();
  const bySource = new Map(sources.map((s) => [s.file, s.source]));
  const locate: CheckContext['locate'] = (flowName, place) => {
    const file = flows.get(flowName)!.file;
    let locator = locators.get(file);
    if (!locator) locators.set(file, (locator = new FlowLocator(file, bySource.get(file) ?? '')));
    return { file, ...locator.position(place) };
  };
  const graph = new FlowGraph(flows);
  const varsSetAnywhere = new Set<string>();
  for (const node of graph.nodes) node.facts.sets.forEach((name) => varsSetAnywhere.add(name));
  const compiledFiles = new Set([...flows.values()].map((flow) => flow.file));
  for (const source of sources) if (!compiledFiles.has(source.file)) rawVariables(source.source).forEach((name) => varsSetAnywhere.add(name));

  const ctx: CheckContext = { graph, varsSetAnywhere, locate, ...(options.knowledge ? { knowledge: indexKnowledgeTerms(options.knowledge, [...graph.flows.values()].flatMap((flow) => flow.triggers.keywords)) } : {}) };
  for (const check of CHECKS) {
    for (const finding of check(ctx)) {
      problems.push({ ...locate(finding.flow, finding.place), severity: finding.severity, message: finding.message });
    }
  }
  for (const missing of missingTranslations({ flows, version: '', payloads: new Map() })) {
    problems.push({ file: missing.file, line: missing.line, col: missing.col, severity: 'warning', message: missing.message });
  }
  return { flows: flows.size, problems: sortProblems(problems) };
}

/**
 * Variables a file that did not compile still seems to set, so its mistake is not reported again in other files.
 * A file with YAML errors counts with what the parser made of it.
 */
function rawVariables(source: string): string[] {
  let data: unknown;
  try {
    data = parseDocument(source, { logLevel: 'error' }).toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.var === 'string') names.push(record.var);
    if (typeof record.set === 'object' && record.set !== null) names.push(...Object.keys(record.set));
    Object.values(record).forEach(walk);
  };
  walk(data);
  return names;
}

export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.file}:${p.line}:${p.col}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

/** `path:line:col  error|warning  message`, one line per problem. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.col}  ${problem.severity}  ${problem.message}`;
}

export function summarize(result: CheckResult): string {
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const files = `${result.files} flow file${result.files === 1 ? '' : 's'}`;
  if (result.problems.length === 0) return `✓ ${files} checked: no problems`;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${errors > 0 ? '✗' : '✓'} ${files} checked: ${count(errors, 'error')}, ${count(warnings, 'warning')}`;
}
