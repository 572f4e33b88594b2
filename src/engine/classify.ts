/**
 * Choosing a flow for free text that matched no trigger, through a `classify` effect (a model, outside the
 * engine). The engine only builds the request from the flows' own descriptions and examples, and checks the
 * answer: a flow that was offered, chosen with enough confidence. Anything else leaves the fallback in charge.
 */
import type { FlowSet } from './model.ts';
import type { ClassifyCandidate, EffectRequest, EffectResult } from './types.ts';

/** Lowest confidence at which a classified flow starts; below it the fallback runs, as without a classifier. */
export const CLASSIFY_MIN_CONFIDENCE = 0.6;

/** Examples per flow sent to the classifier: enough to show what a flow is for, without a long prompt. */
export const MAX_CLASSIFY_EXAMPLES = 8;

/**
 * The flows a classifier may choose: every flow with a description or examples, except the fallback (which
 * runs anyway when nothing fits), by name.
 */
export function classifyCandidates(flows: FlowSet): ClassifyCandidate[] {
  return [...flows.flows.values()]
    .filter((flow) => flow.name !== flows.fallbackFlow && ((flow.description ?? '').trim() !== '' || flow.triggers.examples.length > 0))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((flow) => ({
      flow: flow.name,
      description: (flow.description ?? '').trim(),
      examples: flow.triggers.examples.slice(0, MAX_CLASSIFY_EXAMPLES),
    }));
}

/** The request for `text`, or undefined when there is nothing to classify or no flow to choose. */
export function classifyRequest(flows: FlowSet, text: string): Extract<EffectRequest, { kind: 'classify' }> | undefined {
  const trimmed = text.trim();
  const candidates = classifyCandidates(flows);
  if (trimmed === '' || candidates.length === 0) return undefined;
  return { kind: 'classify', text: trimmed, candidates };
}

/** The flow to start for a classifier's answer, or undefined (no choice, unknown flow, low confidence, failure). */
export function classifiedFlow(flows: FlowSet, result: EffectResult): string | undefined {
  if (result.kind !== 'classify' || result.flow === null || !(result.confidence >= CLASSIFY_MIN_CONFIDENCE)) return undefined;
  const chosen = result.flow;
  return classifyCandidates(flows).some((candidate) => candidate.flow === chosen) ? chosen : undefined;
}
