/**
 * The flow file format, as zod schemas (the JSON Schema for editors is generated from these with
 * `z.toJSONSchema(FlowFileSchema)`, so they hold no transforms). One YAML file per flow:
 *
 *   flow: order_status                  # name: letters, digits, _ and -; unique across all files
 *   description: Where is my order?
 *   default_locale: en                  # texts given per locale fall back to this one (default en)
 *   interrupts: false                   # true: while an ask waits, a message that is exactly one of its
 *                                       # keywords ("menu", "agent") switches to it instead of answering
 *   triggers:
 *     keywords: [order, "where is my order"]   # whole words, case- and accent-insensitive; words of 5+
 *                                               # letters allow a typo (9+: two), phrases any word order
 *     examples: ["has my order shipped"]        # scored by word overlap
 *     payloads: [menu]                          # button payloads that start this flow
 *     start: true                               # runs when a conversation opens (one flow at most)
 *     fallback: true                            # runs when nothing else matches (one flow at most)
 *   steps:                              # run in order; optional `id:` on any step
 *     - say: "Hi {{name}}"              # optional buttons: [{ title, payload }]
 *     - say: { en: "Hi", de: "Hallo" }  # any text shown to customers (say, ask, retry, button titles)
 *                                       # may be one per locale; the conversation's locale picks it
 *     - ask: "Your email?"              # stores the trimmed answer in `var`
 *       var: email
 *       validate: email                 # text | number | email | phone | choice, or
 *                                       # { type: pattern, pattern } / { type: number, min, max } /
 *                                       # { type: code, prefix: BW, digits: 5, separator: "-" } (an order
 *                                       # number found in the answer as customers write it, stored BW-12345) /
 *                                       # { type: choice, options: [...] } (or choices from the ask's buttons)
 *       retry: "That isn't an email."   # sent after a wrong answer (default: a hint for the type)
 *       retries: 2                      # wrong answers re-asked before on_fail (default 2)
 *       on_fail: { goto: human }        # a branch; without one the flow ends with an apology
 *       on_unknown: { goto: help }      # a branch taken, without spending a retry, when a wrong answer says the
 *                                       # customer doesn't have or know it ("I don't have the number", "keine Ahnung")
 *     - if: "email contains '@brightwave'"     # condition language: see condition.ts
 *       then: { goto: staff }           # a branch: one step or a list of steps, run in place
 *       else: [{ say: "..." }]          # a branch that does not jump continues after the `if`
 *     - set: { topic: returns }         # strings may use {{var}}
 *     - goto: x                         # a step id of this flow, else a flow name; or { step: x } / { flow: x }
 *     - handoff: "customer asked for a person"  # hands the conversation to an agent; the flow ends
 *     - end: true                       # the flow ends; the conversation is idle
 *     - call: order_lookup              # an endpoint named in the CALL_ENDPOINTS setting
 *       with: { order: "{{order_number}}" }     # its parameters (templates)
 *       save: { status: data.status }   # variable: path into the JSON answer (data, data.a.b, data.items[0])
 *       timeout: 3s                     # 100ms..30s, default 5s
 *       on_error: { goto: sorry }       # a branch; the reason is in {{call_error}} (timeout, http_404, …);
 *                                       # without one the flow ends with an apology
 *     - answer: true                    # asks the knowledge base what the customer wrote this turn, or
 *                                       # answer: "{{question}}"; says the answer and its sources
 *       min_confidence: 0.5             # 0..1 (default 0.5)
 *       save: kb_answer                 # store the answer instead of saying it
 *       on_unsure: { goto: menu }       # a branch; without one: "not sure", rephrase / a person buttons
 *
 * Reserved variables: `locale` is the conversation's language (`set: { locale: de }` switches it),
 * `last_message` is the text the customer wrote this turn, `call_error` why the last call failed.
 *
 * Button payloads: a pressed button whose payload is a flow's name or listed in a flow's
 * `triggers.payloads` starts that flow, even while an ask waits. So `say` buttons must start a flow
 * (checked at load time); buttons on an `ask` are its answers instead. There is no `flow:` payload prefix.
 * Steps are told apart by their type key (say, ask, …), which the loader uses to report mistakes
 * against the step the editor meant.
 */
import { z } from 'zod';
import { checkTemplate } from './template.ts';
import { parseCondition, regexProblem } from './condition.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const FlowName = z.string().regex(NAME, 'must be letters, digits, _ or -, starting with a letter');
export const StepId = z.string().regex(NAME, 'must be letters, digits, _ or -, starting with a letter');
export const VarName = z.string().regex(VAR, 'must be letters, digits or _, starting with a letter');

/** Text shown to the customer; `{{var}}` placeholders are checked here. */
export const TemplateText = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = checkTemplate(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { offset: problem.offset } });
  });

const Regex = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'u');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression (${regexProblem(error)})` });
    }
  });

/** A locale key: `en`, `de`, `pt-br` (case-insensitive). */
export const LocaleKey = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code like en, de or pt-BR');

/** Text for customers: one text, or one per locale (`{ en: "Hi", de: "Hallo" }`). */
export const LocalizedText = z.union([TemplateText, z.record(LocaleKey, TemplateText)]);

/** `3s`, `1500ms`, or a number of seconds; between 100 ms and 30 s. */
export const Duration = z.union([z.string().regex(/^\d+(\.\d+)?\s*(ms|s)$/, "must be a duration like 3s or 500ms"), z.number()])
  .superRefine((value, ctx) => {
    const ms = durationMs(value);
    if (ms < 100 || ms > 30_000) ctx.addIssue({ code: 'custom', message: 'timeout must be between 100ms and 30s' });
  });

export function durationMs(value: string | number): number {
  if (typeof value === 'number') return value * 1000;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(value);
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/** Where a saved value comes from in a call's JSON answer: `data`, `data.order.status`, `data.items[0]`. */
export const JsonPath = z.string().regex(/^data(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/, 'must be a path into the answer, like data.status or data.items[0].name');

const ConditionText = z.string().superRefine((source, ctx) => {
  const parsed = parseCondition(source);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, params: { offset: parsed.offset } });
});

export const ButtonSchema = z.strictObject({ title: LocalizedText, payload: z.string().min(1) });

export const ValidateSchema = z.union([
  z.enum(['text', 'number', 'email', 'phone', 'choice']),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('number'), min: z.number().optional(), max: z.number().optional() }),
    z.strictObject({ type: z.literal('email') }),
    z.strictObject({ type: z.literal('phone') }),
    z.strictObject({ type: z.literal('pattern'), pattern: Regex }),
    z.strictObject({
      type: z.literal('code'),
      prefix: z.string().regex(/^[A-Za-z]{1,10}$/, 'must be 1 to 10 letters, like BW'),
      digits: z.int().min(1).max(20),
      separator: z.string().regex(/^[-/._ ]?$/, "must be one of - / . _ or a space, or '' for none").optional(),
    }),
    z.strictObject({ type: z.literal('choice'), options: z.array(z.string().min(1)).min(1).optional() }),
  ]),
]);

export const TargetSchema = z.union([
  StepId,
  z.strictObject({ step: StepId }),
  z.strictObject({ flow: FlowName }),
]);

const id = StepId.optional();

export const SayStep = z.strictObject({ id, say: LocalizedText, buttons: z.array(ButtonSchema).min(1).optional() });

export const AskStep = z.strictObject({
  id,
  ask: LocalizedText,
  var: VarName,
  validate: ValidateSchema.optional(),
  buttons: z.array(ButtonSchema).min(1).optional(),
  retry: LocalizedText.optional(),
  retries: z.int().min(0).max(10).optional(),
  get on_fail() {
    return BranchSchema.optional();
  },
  get on_unknown() {
    return BranchSchema.optional();
  },
});

export const IfStep = z.strictObject({
  id,
  if: ConditionText,
  get then() {
    return BranchSchema;
  },
  get else() {
    return BranchSchema.optional();
  },
});

export const SetStep = z.strictObject({
  id,
  set: z.record(VarName, z.union([TemplateText, z.number(), z.boolean(), z.null()])),
});

export const GotoStep = z.strictObject({ id, goto: TargetSchema });
export const HandoffStep = z.strictObject({ id, handoff: TemplateText });
export const EndStep = z.strictObject({ id, end: z.literal(true) });

export const CallStep = z.strictObject({
  id,
  call: z.string().regex(NAME, 'must be the name of an endpoint from the CALL_ENDPOINTS setting'),
  with: z.record(VarName, z.union([TemplateText, z.number(), z.boolean()])).optional(),
  save: z.record(VarName, JsonPath).optional(),
  timeout: Duration.optional(),
  get on_error() {
    return BranchSchema.optional();
  },
});

export const AnswerStep = z.strictObject({
  id,
  answer: z.union([z.literal(true), TemplateText]),
  min_confidence: z.number().min(0).max(1).optional(),
  save: VarName.optional(),
  get on_unsure() {
    return BranchSchema.optional();
  },
});

/** The keys whose value is a branch (one step or a list of steps). */
export const BRANCH_KEYS = ['then', 'else', 'on_fail', 'on_unknown', 'on_error', 'on_unsure'] as const;
export type BranchKey = (typeof BRANCH_KEYS)[number];

/** The key that names a step's type; the order matches StepSchema's options. */
export const STEP_KINDS = ['say', 'ask', 'if', 'set', 'goto', 'handoff', 'end', 'call', 'answer'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const StepSchema = z.union([SayStep, AskStep, IfStep, SetStep, GotoStep, HandoffStep, EndStep, CallStep, AnswerStep]);

export const BranchSchema = z.union([StepSchema, z.array(StepSchema).min(1)]);

export const TriggersSchema = z.strictObject({
  keywords: z.array(z.string().min(1)).optional(),
  examples: z.array(z.string().min(1)).optional(),
  payloads: z.array(z.string().min(1)).optional(),
  start: z.boolean().optional(),
  fallback: z.boolean().optional(),
});

export const FlowFileSchema = z.strictObject({
  flow: FlowName,
  title: LocalizedText.optional(),
  description: z.string().optional(),
  default_locale: LocaleKey.optional(),
  interrupts: z.boolean().optional(),
  triggers: TriggersSchema.optional(),
  steps: z.array(StepSchema).min(1, 'a flow needs at least one step'),
});

export type FlowFileInput = z.infer<typeof FlowFileSchema>;
export type StepInput = z.infer<typeof StepSchema>;
export type BranchInput = z.infer<typeof BranchSchema>;
export type TargetInput = z.infer<typeof TargetSchema>;
export type ValidateInput = z.infer<typeof ValidateSchema>;
export type LocalizedTextInput = z.infer<typeof LocalizedText>;

/** Every key the format knows, for "did you mean" hints. */
export const KNOWN_KEYS = [
  ...Object.keys(FlowFileSchema.shape),
  ...Object.keys(TriggersSchema.shape),
  ...STEP_KINDS,
  'id', 'buttons', 'title', 'payload', 'var', 'validate', 'retry', 'retries', 'on_fail', 'on_unknown', 'then', 'else',
  'type', 'pattern', 'options', 'min', 'max', 'prefix', 'digits', 'separator', 'step', 'flow',
  'with', 'save', 'timeout', 'on_error', 'min_confidence', 'on_unsure',
];
