import { readFileSync } from 'node:fs';
import type { FlowSet } from '../engine/model.ts';
import { FlowLocator } from './locate.ts';

const locators = new WeakMap<object, FlowLocator>();

/**
 * How to name a step to an editor: its `id`, or, for a step without one (the engine calls it `#3`), its kind and
 * line, since `#3` appears nowhere in the file.
 */
export function stepLabel(flows: FlowSet, flowName: string, stepId: string): string {
  if (!stepId.startsWith('#')) return `'${stepId}'`;
  const flow = flows.flows.get(flowName);
  const step = flow?.steps.get(stepId);
  if (!flow || !step) return `'${stepId}'`;
  let locator = locators.get(flow);
  if (!locator) {
    let source = '';
    try {
      source = readFileSync(flow.file, 'utf8');
    } catch {
      return `the ${step.kind} step '${stepId}' (it has no id)`;
    }
    locators.set(flow, (locator = new FlowLocator(flow.file, source)));
  }
  return `the ${step.kind} on line ${locator.position({ step: stepId }).line} (it has no id)`;
}
