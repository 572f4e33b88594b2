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

/** One line per key of a flow file that is not a step kind, shown on hover (VS Code's and the studio's). */
export const FIELD_HELP: Record<string, string> = {
  flow: "The flow's name (letters, digits, _ and -), unique across all files; or, in a goto, the flow to jump to.",
  title: "A text customers see: the flow's name when it is offered as a choice, or a button's label; per language.",
  description: 'For people reading the file, and for understanding what customers ask.',
  default_locale: 'The language texts fall back to (default en).',
  interrupts: 'true: its exact keywords switch to it even while a question waits.',
  triggers: 'When the flow starts: keywords, examples, payloads, the start of a conversation, or as the fallback.',
  keywords: 'Words that start the flow; a keyword alone decides only when the message is essentially that word.',
  examples: 'Messages customers write that mean this flow, for the understanding step.',
  payloads: 'Button payloads that start the flow.',
  start: 'true: the flow opens every new conversation (the greeting); one flow at most.',
  fallback: 'true: the flow runs when nothing else matches; one flow at most.',
  steps: 'What the flow does, in order.',
  id: 'A name for the step, so a goto can jump to it and the analytics can count it.',
  var: 'The variable the checked answer is stored in.',
  validate: 'How the answer is checked: text, number, email, phone, choice, or { type: pattern | code | number, … }.',
  type: 'The kind of check: text, number, email, phone, choice, pattern or code.',
  min: 'The smallest number accepted.',
  max: 'The largest number accepted.',
  pattern: 'A regular expression the answer must match; stored as typed.',
  options: 'The choices accepted, when not taken from the buttons.',
  prefix: 'The letters an order or ticket number starts with (any case), stored as written here.',
  digits: 'How many digits follow the prefix.',
  separator: 'What goes between prefix and digits in the stored number (default -; "" for none).',
  buttons: 'Buttons offered with the message: { title, payload }.',
  payload: 'What pressing the button sends: a flow trigger, or the answer to the ask.',
  retry: 'Said when the answer does not pass the check, before asking again.',
  retries: 'How many wrong answers are asked again (default 2).',
  then: 'Steps (or a goto) when the `if` condition holds.',
  else: 'Steps (or a goto) when it does not.',
  on_fail: 'Where an `ask` goes when its retries are spent.',
  on_unknown: "Where an `ask` goes when the customer says they don't know or have it.",
  on_error: 'Where a `call` goes when the endpoint fails; why is in {{call_error}}.',
  on_unsure: 'Where an `answer` goes when the knowledge base is not sure.',
  step: 'The id of the step in this flow to jump to.',
  with: "The endpoint's parameters; texts may use {{var}}.",
  save: 'Where to store it: fields of the call\'s answer by variable, or the answer\'s text in a variable.',
  timeout: 'How long the endpoint may take: 100ms to 30s (default 5s).',
  min_confidence: 'How sure the knowledge base must be to answer: 0 to 1 (default 0.5).',
};

type JsonObject = Record<string, unknown>;

export function flowJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(FlowFileSchema, { io: 'input' }) as JsonObject;
  annotateSteps(schema);
  annotateFields(schema);
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

/** Adds FIELD_HELP's description to every property of that name that has none. */
function annotateFields(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(annotateFields);
  if (typeof node !== 'object' || node === null) return;
  const object = node as JsonObject;
  const properties = object.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [name, property] of Object.entries(properties as Record<string, JsonObject>)) {
      if (Object.hasOwn(FIELD_HELP, name) && typeof property === 'object' && property !== null && property.description === undefined) property.description = FIELD_HELP[name];
    }
  }
  Object.values(object).forEach(annotateFields);
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
