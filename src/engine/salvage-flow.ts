/**
 * What of a flow file that fails the schema can still be checked. Every step the schema rejects is replaced
 * by a stand-in `end` at the same place (keeping its id, so jumps to it still resolve and positions stay
 * right), and fields that fail are left out; compiling the rest finds the problems the schema cannot see
 * (a goto to a step or flow that does not exist, duplicate ids) in the same pass as the schema's own.
 */
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
  // A step of a known type may be wrong only inside one of its branches: keep it, mend the branch.
  if (isRecord(step) && STEP_KINDS.some((kind) => kind in step)) {
    const mended: Record<string, unknown> = { ...step };
    for (const key of BRANCH_KEYS) if (key in mended) mended[key] = salvageBranch(mended[key]);
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
