/**
 * The JSON Schema editors' YAML tooling reads (`schemas/flow.schema.json`), generated from the zod schema the
 * engine validates with, so the two cannot disagree. Only titles and descriptions are added, for hovers.
 */
import { z } from 'zod';
import { FlowFileSchema, STEP_KINDS, type StepKind } from '../engine/schema.ts';
import { ConversationTestFileSchema } from './conversation-tests/test-file-schema.ts';

/** One line per step kind, shown when the editor hovers a step. */
export const STEP_HELP: Record<StepKind, string> = {
  say: 'Sends a message, optionally with buttons (each button starts a flow by its payload).',
  ask: 'Asks a question and waits; the checked answer is stored in `var`.',
  if: 'Checks a condition and runs `then` (or `else`); a branch that does not jump continues after the `if`.',
  set: 'Sets variables; text values may use {{var}}.',
  goto: 'Jumps to a step of this flow (by id) or to the start of another flow.',
  handoff: 'Hands the conversation to a person with this reason; the flow ends.',
  end: 'Ends the flow; the conversation waits for the customer.',
  call: "Calls an endpoint of the business's systems (named in the CALL_ENDPOINTS setting) and saves fields of its answer.",
  answer: 'Answers from the knowledge base, with sources, when it is confident enough; else `on_unsure`.',
};

type JsonObject = Record<string, unknown>;

export function flowJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(FlowFileSchema, { io: 'input' }) as JsonObject;
  annotateSteps(schema);
  return {
    $schema: schema.$schema,
    title: 'Parley flow',
    description: 'One conversation flow: its name, triggers and steps. Reference: docs/flows.md',
    ...schema,
  };
}

export function conversationTestJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(ConversationTestFileSchema, { io: 'input' }) as JsonObject;
  return {
    $schema: schema.$schema,
    title: 'Parley conversation tests',
    description: 'Conversations to replay against the flows with `parley flows test`. Reference: docs/flows.md',
    ...schema,
  };
}

/** The text written to disk: stable key order, two-space indent, final newline. */
export function schemaText(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Adds a title and description to every schema option that is a step (it requires a step kind key). */
function annotateSteps(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(annotateSteps);
  if (typeof node !== 'object' || node === null) return;
  const object = node as JsonObject;
  const required = Array.isArray(object.required) ? (object.required as unknown[]) : [];
  const kind = STEP_KINDS.find((k) => required.includes(k));
  if (kind && typeof object.properties === 'object' && object.properties !== null && kind in object.properties) {
    object.title = `${kind} step`;
    object.description = STEP_HELP[kind];
  }
  Object.values(object).forEach(annotateSteps);
}
