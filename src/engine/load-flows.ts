import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFlowSet } from './flow-set.ts';
import type { FlowSet } from './model.ts';

/** Flow files: `*.yaml` / `*.yml`, except conversation tests (`*.test.yaml`). */
export function isFlowFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !/\.test\.ya?ml$/i.test(name);
}

/** Reads every flow file under `dir` (recursively) and builds the flow set; throws FLOW_INVALID with every problem. */
export async function loadFlows(dir: string): Promise<FlowSet> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isFlowFile(entry.name))
    // parentPath arrived in Node 20.12; `path` is its older name.
    .map((entry) => path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name))
    .sort();
  const sources = await Promise.all(files.map(async (file) => ({ file, source: await readFile(file, 'utf8') })));
  return buildFlowSet(sources);
}
