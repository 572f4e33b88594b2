/**
 * A schema-valid flow file → a runnable Flow: every step gets an id and a `next`, inline branches are
 * flattened into the flow (a branch that does not jump continues after the step that owns it), and
 * jumps are resolved. Problems that need the whole file (duplicate ids, unknown steps) are found here;
 * references to other flows are returned for the flow set to check.
 */
import type { Button } from '../core/message.ts';
import { parseCondition } from './condition.ts';
import type { Flow, FlowIssue, Step, Target, Validator } from './model.ts';
import type { BranchInput, FlowFileInput, StepInput, TargetInput, ValidateInput } from './schema.ts';
import type { Path, SourceMap } from './source-map.ts';

type Position = Omit<FlowIssue, 'message'>;

/** Something another flow must provide: a flow to jump to, or a flow a say button's payload starts. */
export interface FlowRef {
  kind: 'goto' | 'button';
  name: string;
  at: Position;
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
      for (const key of ['then', 'else', 'on_fail'] as const) {
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

  const resolve = (target: TargetInput, path: Path): Target => {
    if (typeof target === 'object' && 'step' in target) {
      if (!ids.has(target.step)) issues.push(map.issue({ path: [...path, 'step'], message: `no step '${target.step}' in this flow` }));
      return { step: target.step };
    }
    const name = typeof target === 'string' ? target : target.flow;
    if (typeof target === 'string' && ids.has(name)) return { step: name };
    refs.push({ kind: 'goto', name, at: at(typeof target === 'string' ? path : [...path, 'flow']) });
    return { flow: name };
  };
  const branchTarget = (owner: Placed, key: 'then' | 'else' | 'on_fail', branch: BranchInput): Target => {
    if (isDirectJump(branch)) return resolve(branch.goto, [...owner.path, key, 'goto']);
    return { step: firstOfBranch.get(`${owner.id}\0${key}`)! };
  };

  const steps = new Map<string, Step>();
  for (const item of placed) {
    const step = compileStep(item, { issues, refs, map, at, resolve, branchTarget });
    if (!steps.has(step.id)) steps.set(step.id, step);
  }

  const triggers = input.triggers ?? {};
  const flow: Flow = {
    name: input.flow,
    ...(input.description === undefined ? {} : { description: input.description }),
    file: map.file,
    interrupts: input.interrupts ?? false,
    triggers: {
      keywords: triggers.keywords ?? [],
      examples: triggers.examples ?? [],
      payloads: triggers.payloads ?? [],
      start: triggers.start ?? false,
      fallback: triggers.fallback ?? false,
    },
    entry: placed[0]!.id,
    steps,
  };
  return { flow, issues, refs };
}

interface Context {
  issues: FlowIssue[];
  refs: FlowRef[];
  map: SourceMap;
  at: (path: Path) => Position;
  resolve: (target: TargetInput, path: Path) => Target;
  branchTarget: (owner: Placed, key: 'then' | 'else' | 'on_fail', branch: BranchInput) => Target;
}

function compileStep(item: Placed, ctx: Context): Step {
  const { input, path, id, next } = item;
  const base = next === undefined ? { id } : { id, next };
  if ('say' in input) {
    input.buttons?.forEach((button, i) => ctx.refs.push({ kind: 'button', name: button.payload, at: ctx.at([...path, 'buttons', i, 'payload']) }));
    return { kind: 'say', ...base, text: input.say, ...(input.buttons ? { buttons: input.buttons } : {}) };
  }
  if ('ask' in input) {
    const validate = validator(input.validate);
    const options = typeof input.validate === 'object' && input.validate.type === 'choice' ? input.validate.options : undefined;
    const buttons: Button[] | undefined = input.buttons ?? options?.map((option) => ({ title: option, payload: option }));
    if (validate.type === 'choice' && !buttons) {
      ctx.issues.push(ctx.map.issue({ path: [...path, 'validate'], message: 'a choice needs options: give the ask buttons, or validate: { type: choice, options: [...] }' }));
    }
    return {
      kind: 'ask', ...base, prompt: input.ask, var: input.var, validate,
      ...(buttons ? { buttons } : {}),
      ...(input.retry === undefined ? {} : { retry: input.retry }),
      retries: input.retries ?? 2,
      ...(input.on_fail === undefined ? {} : { onFail: ctx.branchTarget(item, 'on_fail', input.on_fail) }),
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
  return input;
}
