import { createHash } from 'node:crypto';
import { suggest } from './describe-issues.ts';
import type { Flow, FlowIssue, FlowSet } from './model.ts';
import { checkFlowFile, flowInvalid, sortIssues, type FileCheck } from './parse-flow-file.ts';

export interface FlowSource {
  /** The path shown in messages, e.g. `flows/order-status.yaml`. */
  file: string;
  source: string;
}

/**
 * Checks and compiles a whole set of flow files. Throws FLOW_INVALID listing every problem in every file,
 * including those between files: duplicate names, two start or fallback flows, a payload claimed twice,
 * a jump to a flow that does not exist, a say button that starts no flow.
 */
export function buildFlowSet(sources: readonly FlowSource[]): FlowSet {
  const { issues, set } = checkFlowSet(sources);
  if (issues.length > 0) throw flowInvalid(issues);
  return set;
}

/**
 * The same checks without throwing: every problem (sorted), and the set of the flows that compiled (the first file
 * to define a name keeps it), so a checker can go on analysing a set with mistakes without parsing it again.
 */
export function checkFlowSet(sources: readonly FlowSource[]): { issues: FlowIssue[]; set: FlowSet } {
  const checks = [...sources].sort((a, b) => (a.file < b.file ? -1 : 1)).map((s) => checkFlowFile(s.file, s.source));
  const issues: FlowIssue[] = checks.flatMap((check) => check.issues);
  const flows = new Map<string, Flow>();
  const owners = new Map<string, FileCheck>();
  const issueAt = (check: FileCheck, path: PropertyKey[], message: string) => issues.push({ ...check.at(path), message });

  for (const check of checks) {
    const flow = check.flow;
    if (!flow) continue;
    const first = owners.get(flow.name);
    if (first) issueAt(check, ['flow'], `flow '${flow.name}' is already defined in ${first.file}`);
    else {
      owners.set(flow.name, check);
      flows.set(flow.name, flow);
    }
  }

  const special = (key: 'start' | 'fallback'): string | undefined => {
    let chosen: string | undefined;
    for (const flow of flows.values()) {
      if (!flow.triggers[key]) continue;
      if (chosen === undefined) chosen = flow.name;
      else issueAt(owners.get(flow.name)!, ['triggers', key], `only one flow can have ${key}: true, and '${chosen}' already does`);
    }
    return chosen;
  };
  const startFlow = special('start');
  const fallbackFlow = special('fallback');

  const payloads = new Map<string, string>([...flows.keys()].map((name) => [name, name]));
  for (const flow of flows.values()) {
    flow.triggers.payloads.forEach((payload, i) => {
      const taken = payloads.get(payload);
      if (taken !== undefined && taken !== flow.name) {
        issueAt(owners.get(flow.name)!, ['triggers', 'payloads', i], `payload '${payload}' already starts flow '${taken}'`);
      } else payloads.set(payload, flow.name);
    });
  }

  const broken = checks.filter((check) => !check.flow).map((check) => check.declares);
  const known = new Set([...flows.keys(), ...broken.flatMap((d) => (d.name ? [d.name] : []))]);
  const knownPayloads = new Set([...payloads.keys(), ...known, ...broken.flatMap((d) => d.payloads)]);
  const didYouMean = (name: string, known: Iterable<string>) => {
    const hint = suggest(name, [...known]);
    return hint ? ` (did you mean '${hint}'?)` : '';
  };
  for (const check of checks) {
    // A second file defining a name already reports that; a file that failed its checks still has its references checked.
    if (check.flow && owners.get(check.flow.name) !== check) continue;
    for (const ref of check.refs) {
      if (ref.kind === 'goto' && !known.has(ref.name)) {
        const hint = didYouMean(ref.name, [...(ref.stepIds ?? []), ...known]);
        issues.push({ ...ref.at, message: `goto '${ref.name}': no step of that name in this flow, and no flow named '${ref.name}'${hint}` });
      }
      if (ref.kind === 'button' && !knownPayloads.has(ref.name)) {
        const hint = didYouMean(ref.name, knownPayloads);
        issues.push({ ...ref.at, message: `button payload '${ref.name}' starts no flow${hint}: use a flow's name or one of its triggers.payloads (buttons that answer a question belong on the ask)` });
      }
    }
  }

  const set: FlowSet = {
    flows,
    version: flowSetVersion(flows),
    ...(startFlow ? { startFlow } : {}),
    ...(fallbackFlow ? { fallbackFlow } : {}),
    payloads,
  };
  return { issues: sortIssues(issues), set };
}

/** A content hash of what the flows do (file names and comments do not count). */
export function flowSetVersion(flows: FlowSet | ReadonlyMap<string, Flow>): string {
  const map = flows instanceof Map ? flows : (flows as FlowSet).flows;
  const content = [...map.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ file: _, texts: __, steps, ...flow }) => ({ ...flow, steps: [...steps.entries()] }));
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}
