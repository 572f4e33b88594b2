/**
 * `parley flows test`: replays every conversation test (`*.test.yaml` under the flows directory) through the
 * simulator, i.e. the server's real pipeline, one fresh conversation per test. A test stops at its first
 * turn that differs from what it expects.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isParleyError } from '../../core/errors.ts';
import { loadFlows, type FlowIssue, type FlowSet } from '../../engine/index.ts';
import { sameText } from '../../engine/text.ts';
import { Simulator, type SimConversation, type SimTurn } from '../simulator.ts';
import { compareTurn } from './expectations.ts';
import { isConversationTestFile, loadTestFile } from './load-test-file.ts';
import type { TurnInputSpec } from './test-file-schema.ts';

export interface TurnFailure {
  line: number;
  col: number;
  /** 1-based. */
  turn: number;
  /** What the customer did: `user: "hi"`, `press: "Returns"`, `start`. */
  action: string;
  differences: string[];
}

export interface TestOutcome {
  name: string;
  failure?: TurnFailure;
}

export interface FileOutcome {
  /** Relative to the working directory. */
  file: string;
  name?: string;
  /** Problems that stopped the whole file: mistakes in the test file itself, or in the flows it tests. */
  problems: FlowIssue[];
  problemsIn?: 'test-file' | 'flows';
  tests: TestOutcome[];
}

export async function findTestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isConversationTestFile(entry.name))
    .map((entry) => path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name))
    .sort();
}

export interface RunOptions {
  /** File names in the report are relative to this. Default: the working directory. */
  cwd?: string;
  /** Opens the simulator the tests run on (with the effects configured). Default: one without effects. */
  open?: (flows: FlowSet) => Promise<Simulator>;
  /** Gives back what `open` opened once the files have run. Default: closes it. */
  release?: (simulator: Simulator) => Promise<void>;
}

/** Runs the test files; flows come from `flowsDir` unless a file names its own `flows_dir`. */
export async function runTestFiles(files: readonly string[], flowsDir: string, options: RunOptions = {}): Promise<FileOutcome[]> {
  const cwd = options.cwd ?? process.cwd();
  const open = options.open ?? ((flows: FlowSet) => Simulator.open(flows));
  const flowSets = new Map<string, Promise<FlowSet | FlowIssue[]>>();
  const flowsIn = (dir: string) => {
    const resolved = path.resolve(dir);
    if (!flowSets.has(resolved)) flowSets.set(resolved, loadFlows(resolved).catch((error: unknown) => {
      if (isParleyError(error, 'FLOW_INVALID')) return error.details as FlowIssue[];
      throw error;
    }));
    return flowSets.get(resolved)!;
  };

  let simulator: Simulator | undefined;
  const outcomes: FileOutcome[] = [];
  try {
    for (const file of files) {
      const shown = path.relative(cwd, file) || file;
      const loaded = loadTestFile(shown, await readFile(file, 'utf8'));
      if (!loaded.ok) {
        outcomes.push({ file: shown, problems: loaded.issues, problemsIn: 'test-file', tests: [] });
        continue;
      }
      const { spec } = loaded;
      const flows = await flowsIn(spec.flows_dir ? path.resolve(path.dirname(file), spec.flows_dir) : flowsDir);
      if (Array.isArray(flows)) {
        outcomes.push({ file: shown, name: spec.name, problems: flows, problemsIn: 'flows', tests: [] });
        continue;
      }
      if (!simulator) simulator = await open(flows);
      simulator.useFlows(flows);
      const tests: TestOutcome[] = [];
      for (const [t, test] of spec.tests.entries()) {
        const locale = test.locale ?? spec.locale;
        const failure = await runTest(simulator, locale, test.turns, (turn) => loaded.turnAt(t, turn));
        tests.push({ name: test.name, ...(failure ? { failure } : {}) });
      }
      outcomes.push({ file: shown, name: spec.name, problems: [], tests });
    }
  } finally {
    if (simulator) await (options.release ?? ((opened: Simulator) => opened.close()))(simulator);
  }
  return outcomes;
}

async function runTest(simulator: Simulator, locale: string | undefined, turns: readonly TurnInputSpec[],
  at: (turn: number) => { line: number; col: number }): Promise<TurnFailure | undefined> {
  const conversation = simulator.conversation(locale ? { locale } : {});
  for (const [i, turn] of turns.entries()) {
    const fail = (differences: string[]): TurnFailure => ({ ...at(i), turn: i + 1, action: describeAction(turn), differences });
    let result: SimTurn;
    try {
      const acted = await act(conversation, turn);
      if ('missing' in acted) return fail([acted.missing]);
      result = acted;
    } catch (error) {
      return fail([`the turn failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const differences = compareTurn(turn, result, simulator.flowSet);
    if (differences.length > 0) return fail(differences);
  }
  return undefined;
}

async function act(conversation: SimConversation, turn: TurnInputSpec): Promise<SimTurn | { missing: string }> {
  if (turn.start) return conversation.start();
  if (turn.user !== undefined) return conversation.say(turn.user);
  const wanted = turn.press!;
  const offered = conversation.onScreen();
  const button = offered.find((b) => b.payload === wanted) ?? offered.find((b) => sameText(b.title, wanted));
  if (!button) {
    const onScreen = offered.length > 0 ? `the buttons are: ${offered.map((b) => `"${b.title}"`).join(', ')}` : 'there are no buttons on screen';
    return { missing: `press: no button "${wanted}" on screen; ${onScreen}` };
  }
  return conversation.press(button);
}

function describeAction(turn: TurnInputSpec): string {
  if (turn.start) return 'start';
  if (turn.user !== undefined) return `user: ${JSON.stringify(turn.user)}`;
  return `press: ${JSON.stringify(turn.press)}`;
}
