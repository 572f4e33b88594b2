/**
 * A schema-valid flow file → a runnable Flow: every step gets an id and a `next`, inline branches are
 * flattened into the flow (a branch that does not jump continues after the step that owns it), and
 * jumps are resolved. Problems that need the whole file (duplicate ids, unknown steps) are found here;
 * references to other flows are returned for the flow set to check.
 */
import { parseCondition } from './condition.ts';
import { suggest } from './describe-issues.ts';
import { DEFAULT_LOCALE, normalizeLocale } from './localize.ts';
import type { Flow, FlowButton, FlowIssue, LocalText, LocatedText, Step, Target, Validator } from './model.ts';
import { BRANCH_KEYS, durationMs, type BranchInput, type BranchKey, type FlowFileInput, type LocalizedTextInput, type StepInput, type TargetInput, type ValidateInput } from './schema.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from './steps/call.ts';
import type { Path, SourceMap } from './source-map.ts';

type Position = Omit<FlowIssue, 'message'>;

/** Something another flow must provide: a flow to jump to, or a flow a say button's payload starts. */
export interface FlowRef {
  kind: 'goto' | 'button';
  name: string;
  at: Position;
  /** For a goto: the step ids its flow's author gave, for a "did you mean" when the name is neither. */
  stepIds?: readonly string[];
}

export interface Compiled {
  flow: Flow;
  issues: FlowIssue[];
  refs: FlowRef[];
}

interface Placed {
  input: StepInput;
  path: Path;
  id: string;
  next: string | undefined;
}

export function compileFlow(input: FlowFileInput, map: SourceMap): Compiled {
  const issues: FlowIssue[] = [];
  const refs: FlowRef[] = [];
  const placed: Placed[] = [];
  const ids = new Map<string, Path>();
  const at = (path: Path): Position => {
    const { message: _, ...position } = map.issue({ path, message: '' });
    return position;
  };

  const firstOfBranch = new Map<string, string>();
  const place = (list: { input: StepInput; path: Path }[], prefix: string, after: string | undefined): void => {
    const names = list.map(({ input: step }, i) => step.id ?? `${prefix}${i + 1}`);
    list.forEach(({ input: step, path }, i) => {
      const id = names[i]!;
      const first = ids.get(id);
      if (first) {
        issues.push(map.issue({ path: [...path, 'id'], message: `duplicate step id '${id}' (first used on line ${at(first).line})` }));
      } else {
        ids.set(id, path);
      }
      const next = names[i + 1] ?? after;
      placed.push({ input: step, path, id, next });
      for (const key of BRANCH_KEYS) {
        const branch = (step as Partial<Record<typeof key, BranchInput>>)[key];
        if (branch === undefined || isDirectJump(branch)) continue;
        const inline = Array.isArray(branch)
          ? branch.map((input, j) => ({ input, path: [...path, key, j] }))
          : [{ input: branch, path: [...path, key] }];
        firstOfBranch.set(`${id}\0${key}`, inline[0]!.input.id ?? `${id}.${key}.1`);
        place(inline, `${id}.${key}.`, next);
      }
    });
  };
  place(input.steps.map((step, i) => ({ input: step, path: ['steps', i] })), '#', undefined);

  // Generated ids (`#2`, `ask.on_fail.1`) cannot be written in a goto, so they are never suggested.
  let given: string[] | undefined;
  const givenIds = () => (given ??= [...ids.keys()].filter((id) => !id.startsWith('#') && !id.includes('.')));
  const resolve = (target: TargetInput, path: Path): Target => {
    if (typeof target === 'object' && 'step' in target) {
      if (!ids.has(target.step)) {
        const hint = suggest(target.step, givenIds());
        issues.push(map.issue({ path: [...path, 'step'], message: `no step '${target.step}' in this flow${hint ? ` (did you mean '${hint}'?)` : ''}` }));
      }
      return { step: target.step };
    }
    const name = typeof target === 'string' ? target : target.flow;
    if (typeof target === 'string' && ids.has(name)) return { step: name };
    const stepIds = typeof target === 'string' ? givenIds() : [];
    refs.push({ kind: 'goto', name, at: at(typeof target === 'string' ? path : [...path, 'flow']), stepIds });
    return { flow: name };
  };
  const branchTarget = (owner: Placed, key: BranchKey, branch: BranchInput): Target => {
    if (isDirectJump(branch)) return resolve(branch.goto, [...owner.path, key, 'goto']);
    return { step: firstOfBranch.get(`${owner.id}\0${key}`)! };
  };

  const defaultLocale = normalizeLocale(input.default_locale ?? DEFAULT_LOCALE);
  const texts: LocatedText[] = [];
  const text = (value: LocalizedTextInput, path: Path): LocalText => {
    const position = at(path);
    if (typeof value === 'string') {
      texts.push({ ...position, text: value });
      return value;
    }
    const byLocale = Object.fromEntries(Object.entries(value).map(([locale, t]) => [normalizeLocale(locale), t]));
    if (byLocale[defaultLocale] === undefined) {
      issues.push(map.issue({ path, message: `this text has no '${defaultLocale}' version, the flow's default_locale, which every text needs` }));
    }
    texts.push({ ...position, text: byLocale });
    return byLocale;
  };
  const steps = new Map<string, Step>();
  for (const item of placed) {
    const step = compileStep(item, { issues, refs, map, at, resolve, branchTarget, text });
    if (!steps.has(step.id)) steps.set(step.id, step);
  }

  const triggers = input.triggers ?? {};
  const flow: Flow = {
    name: input.flow,
    ...(input.title === undefined ? {} : { title: text(input.title, ['title']) }),
    ...(input.description === undefined ? {} : { description: input.description }),
    file: map.file,
    interrupts: input.interrupts ?? false,
    defaultLocale,
    triggers: {
      keywords: triggers.keywords ?? [],
      examples: triggers.examples ?? [],
      payloads: triggers.payloads ?? [],
      start: triggers.start ?? false,
      fallback: triggers.fallback ?? false,
    },
    entry: placed[0]!.id,
    steps,
    texts,
  };
  return { flow, issues, refs };
}

interface Context {
  issues: FlowIssue[];
  refs: FlowRef[];
  map: SourceMap;
  at: (path: Path) => Position;
  resolve: (target: TargetInput, path: Path) => Target;
  branchTarget: (owner: Placed, key: BranchKey, branch: BranchInput) => Target;
  /** A customer-facing text, recorded for the translation check. */
  text: (value: LocalizedTextInput, path: Path) => LocalText;
}


function compileStep(item: Placed, ctx: Context): Step {
  const { input, path, id, next } = item;
  const base = next === undefined ? { id } : { id, next };
  const buttonsOf = (list: { title: LocalizedTextInput; payload: string }[]): FlowButton[] =>
    list.map((button, i) => ({ title: ctx.text(button.title, [...path, 'buttons', i, 'title']), payload: button.payload }));
  if ('say' in input) {
    input.buttons?.forEach((button, i) => ctx.refs.push({ kind: 'button', name: button.payload, at: ctx.at([...path, 'buttons', i, 'payload']) }));
    const text = ctx.text(input.say, [...path, 'say']);
    return { kind: 'say', ...base, text, ...(input.buttons ? { buttons: buttonsOf(input.buttons) } : {}) };
  }
  if ('ask' in input) {
    const validate = validator(input.validate);
    const options = typeof input.validate === 'object' && input.validate.type === 'choice' ? input.validate.options : undefined;
    const prompt = ctx.text(input.ask, [...path, 'ask']);
    const buttons: FlowButton[] | undefined = input.buttons
      ? buttonsOf(input.buttons)
      : options?.map((option, i) => ({ title: ctx.text(option, [...path, 'validate', 'options', i]), payload: option }));
    if (validate.type === 'choice' && !buttons) {
      ctx.issues.push(ctx.map.issue({ path: [...path, 'validate'], message: 'a choice needs options: give the ask buttons, or validate: { type: choice, options: [...] }' }));
    }
    return {
      kind: 'ask', ...base, prompt, var: input.var, validate,
      ...(buttons ? { buttons } : {}),
      ...(input.retry === undefined ? {} : { retry: ctx.text(input.retry, [...path, 'retry']) }),
      retries: input.retries ?? 2,
      ...(input.on_fail === undefined ? {} : { onFail: ctx.branchTarget(item, 'on_fail', input.on_fail) }),
      ...(input.on_unknown === undefined ? {} : { onUnknown: ctx.branchTarget(item, 'on_unknown', input.on_unknown) }),
    };
  }
  if ('if' in input) {
    const parsed = parseCondition(input.if);
    if (!parsed.ok) throw new Error('unreachable: conditions are checked by the schema');
    return {
      kind: 'if', ...base, condition: parsed.condition,
      then: ctx.branchTarget(item, 'then', input.then),
      ...(input.else === undefined ? {} : { else: ctx.branchTarget(item, 'else', input.else) }),
    };
  }
  if ('set' in input) return { kind: 'set', ...base, values: input.set };
  if ('goto' in input) return { kind: 'goto', ...base, target: ctx.resolve(input.goto, [...path, 'goto']) };
  if ('handoff' in input) return { kind: 'handoff', ...base, reason: input.handoff };
  if ('call' in input) {
    return {
      kind: 'call', ...base, endpoint: input.call, params: input.with ?? {}, save: input.save ?? {},
      timeoutMs: input.timeout === undefined ? DEFAULT_CALL_TIMEOUT_MS : Math.round(durationMs(input.timeout)),
      ...(input.on_error === undefined ? {} : { onError: ctx.branchTarget(item, 'on_error', input.on_error) }),
    };
  }
  if ('answer' in input) {
    return {
      kind: 'answer', ...base, question: input.answer === true ? '{{last_message}}' : input.answer,
      ...(input.min_confidence === undefined ? {} : { minConfidence: input.min_confidence }),
      ...(input.save === undefined ? {} : { save: input.save }),
      ...(input.on_unsure === undefined ? {} : { onUnsure: ctx.branchTarget(item, 'on_unsure', input.on_unsure) }),
    };
  }
  return { kind: 'end', ...base };
}

/** A branch that is just `{ goto: x }` jumps straight there instead of through a generated step. */
function isDirectJump(branch: BranchInput): branch is Extract<StepInput, { goto: TargetInput }> {
  return !Array.isArray(branch) && 'goto' in branch && branch.id === undefined;
}

function validator(input: ValidateInput | undefined): Validator {
  if (input === undefined) return { type: 'text' };
  if (typeof input === 'string') return { type: input };
  if (input.type === 'choice') return { type: 'choice' };
  if (input.type === 'code') return { ...input, separator: input.separator ?? '-' };
  return input;
}
