/**
 * Completion and hover docs in flow files, from the flow JSON schema's texts (src/editor/flow-json-schema.ts, the
 * ones VS Code shows): where a key starts a line (or follows a list's `- `), the step kinds with what each does and
 * the branch keys; hovering a key, what it is. Enough to write a step without the reference open; the checker says
 * the rest as you type.
 */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { hoverTooltip } from '@codemirror/view';
import { FIELD_HELP, STEP_HELP } from '../../editor/flow-json-schema.ts';
import { BRANCH_KEYS, STEP_KINDS } from '../../engine/schema.ts';

const OPTIONS = [
  ...STEP_KINDS.map((kind) => ({ label: kind, type: 'keyword', detail: 'step', info: STEP_HELP[kind], apply: `${kind}: ` })),
  ...BRANCH_KEYS.map((key) => ({ label: key, type: 'property', detail: 'branch', info: FIELD_HELP[key], apply: `${key}: ` })),
];

/** What a key of a flow file is: a step kind's or a field's text; undefined for anything else. */
export function keyHelp(key: string): { title: string; text: string } | undefined {
  if ((STEP_KINDS as readonly string[]).includes(key)) return { title: `${key} step`, text: STEP_HELP[key as keyof typeof STEP_HELP] };
  return Object.hasOwn(FIELD_HELP, key) ? { title: key, text: FIELD_HELP[key]! } : undefined;
}

/** Hovering a key (`ask:`, `- say:`, `{ goto: … }`) shows what it is. */
export const flowHover = hoverTooltip((view, pos) => {
  const line = view.state.doc.lineAt(pos);
  for (const match of line.text.matchAll(/(?:^\s*(?:- )?|[{,]\s*)([a-z_]+):/g)) {
    const from = line.from + match.index + match[0].length - match[1]!.length - 1;
    const to = from + match[1]!.length;
    if (pos < from || pos > to) continue;
    const help = keyHelp(match[1]!);
    if (!help) return null;
    return {
      pos: from, end: to, above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'key-help';
        const title = dom.appendChild(document.createElement('strong'));
        title.textContent = help.title;
        dom.appendChild(document.createElement('p')).textContent = help.text;
        return { dom };
      },
    };
  }
  return null;
});

export function flowKeys(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const key = /^\s*(?:- )?([a-z_]*)$/.exec(before);
  if (!key || (key[1] === '' && !context.explicit)) return null;
  return { from: context.pos - key[1]!.length, options: OPTIONS, validFor: /^[a-z_]*$/ };
}
