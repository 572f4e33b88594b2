/**
 * Completion in flow files: where a key starts a line (or follows a list's `- `), the step kinds with what each does
 * (the hover texts of the flow JSON schema, src/editor/flow-json-schema.ts) and the branch keys. Enough to write a
 * step without the reference open; the checker says the rest as you type.
 */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { STEP_HELP } from '../../editor/flow-json-schema.ts';
import { BRANCH_KEYS, STEP_KINDS } from '../../engine/schema.ts';

const BRANCH_HELP: Record<(typeof BRANCH_KEYS)[number], string> = {
  then: 'Steps (or a goto) when the `if` condition holds.',
  else: 'Steps (or a goto) when it does not.',
  on_fail: 'Where an `ask` goes when its retries are spent.',
  on_unknown: "Where an `ask` goes when the customer says they don't know or have it.",
  on_error: 'Where a `call` goes when the endpoint fails.',
  on_unsure: 'Where an `answer` goes when the knowledge base is not sure.',
};

const OPTIONS = [
  ...STEP_KINDS.map((kind) => ({ label: kind, type: 'keyword', detail: 'step', info: STEP_HELP[kind], apply: `${kind}: ` })),
  ...BRANCH_KEYS.map((key) => ({ label: key, type: 'property', detail: 'branch', info: BRANCH_HELP[key], apply: `${key}: ` })),
];

export function flowKeys(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const key = /^\s*(?:- )?([a-z_]*)$/.exec(before);
  if (!key || (key[1] === '' && !context.explicit)) return null;
  return { from: context.pos - key[1]!.length, options: OPTIONS, validFor: /^[a-z_]*$/ };
}
