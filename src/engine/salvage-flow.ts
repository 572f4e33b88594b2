/**
 * What of a flow file that fails the schema can still be checked. A stray or wrong optional key is left out;
 * a step still rejected becomes a stand-in `end` at the same place (keeping its id, so jumps to it still
 * resolve and positions stay right). Compiling the rest finds the problems the schema cannot see (a goto to
 * a step or flow that does not exist, duplicate ids) in the same pass as the schema's own.
 */
import type { z } from 'zod';
import { BRANCH_KEYS, FlowFileSchema, STEP_KINDS, StepId, StepSchema, type FlowFileInput } from './schema.ts';

/** The file with its bad steps and fields replaced; undefined when its name or steps are unusable. */
export function salvageFlowInput(data: unknown): FlowFileInput | undefined {
  if (!isRecord(data) || !Array.isArray(data.steps)) return undefined;
  const kept: Record<string, unknown> = { steps: data.steps.map(salvageStep) };
  for (const [key, value] of Object.entries(data)) {
    const field = FlowFileSchema.shape[key as keyof typeof FlowFileSchema.shape];
    if (key !== 'steps' && field?.safeParse(value).success) kept[key] = value;
  }
  const parsed = FlowFileSchema.safeParse(kept);
  return parsed.success ? parsed.data : undefined;
}

function salvageStep(step: unknown): unknown {
  if (StepSchema.safeParse(step).success) return step;
  const kind = isRecord(step) ? STEP_KINDS.findIndex((key) => key in step) : -1;
  if (isRecord(step) && kind !== -1) {
    // A step of a known type keeps what is right in it: its branches mended, a stray or wrong optional key left out.
    const shape: Record<string, z.ZodType> = StepSchema.options[kind]!.shape;
    const mended: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(step)) {
      const field = shape[key];
      const kept = (BRANCH_KEYS as readonly string[]).includes(key) ? salvageBranch(value) : value;
      if (field && (field.safeParse(kept).success || !field.safeParse(undefined).success)) mended[key] = kept;
    }
    if (StepSchema.safeParse(mended).success) return mended;
  }
  const id = isRecord(step) ? step.id : undefined;
  return StepId.safeParse(id).success ? { id, end: true } : { end: true };
}

function salvageBranch(branch: unknown): unknown {
  if (!Array.isArray(branch)) return salvageStep(branch);
  return branch.length === 0 ? branch : branch.map(salvageStep);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
