/**
 * `parley chat [--flow NAME] [--debug] [--flows DIR]`: the editor types as the customer and sees the bot's
 * replies, through the same pipeline as the server (see src/editor/simulator.ts).
 */
import { flowsDirectory } from './directories.ts';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.ts';
import { isParleyError, ParleyError } from '../core/errors.ts';
import { openSimulator } from '../editor/simulator-effects.ts';
import type { SimConversation, SimTurn } from '../editor/simulator.ts';
import { stepLabel } from '../editor/step-label.ts';
import { loadFlows, type FlowSet } from '../engine/index.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { simulatorOptions } from './simulator-options.ts';

export const CHAT_USAGE = `Usage: parley chat [--flow NAME] [--debug] [--flows DIR]

Chat with the flows as a customer would. Type a message, or a button's number to press it.
  --flow NAME   start with this flow instead of the greeting
  --debug       after each turn, show what was understood (candidates, scores, why), the flow, the step and the variables
  --flows DIR   the flow files (default: FLOWS_DIR, else ./flows)
In the chat: /restart reloads the flow files and starts over, /text 2 sends "2" as typed text (not a
button press), /quit leaves.
`;

export interface ChatIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

export async function chatCommand(args: string[], io: ChatIo = defaultIo()): Promise<number> {
  const { values } = parseCliArgs({
    args,
    options: { flow: { type: 'string' }, debug: { type: 'boolean', default: false }, flows: { type: 'string' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  const write = (text: string) => void io.output.write(`${text}\n`);
  if (values.help) return write(CHAT_USAGE), 0;
  const config = loadConfig();
  const dir = await flowsDirectory(config, values.flows);
  const flows = await loadFlows(dir);
  const startFlow = values.flow;
  if (startFlow !== undefined && !flows.flows.has(startFlow)) {
    throw new ParleyError('BAD_REQUEST', `no flow named '${startFlow}'; the flows are: ${[...flows.flows.keys()].sort().join(', ')}`);
  }

  const simulator = await openSimulator(flows, simulatorOptions(config, { useModel: true }));
  let conversation: SimConversation;
  const show = (turn: SimTurn) => printTurn(write, turn, values.debug ? simulator.flowSet : undefined);
  const begin = async () => {
    conversation = simulator.conversation();
    show(startFlow === undefined ? await conversation.start() : await conversation.sendPayload(startFlow));
  };

  write(`Parley chat: ${flows.flows.size} flows from ${dir}. Type as the customer; a number presses that button. /restart, /quit`);
  const rl = createInterface({ input: io.input, output: io.output, terminal: io.interactive });
  rl.setPrompt('you › ');
  try {
    await begin();
    if (io.interactive) rl.prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (!io.interactive) write(`you › ${line}`);
      if (line === '/quit' || line === '/exit') break;
      if (line === '/restart') {
        const reloaded = await reload(dir, write);
        if (reloaded) simulator.useFlows(reloaded);
        if (startFlow !== undefined && !simulator.flowSet.flows.has(startFlow)) write(`  (flow '${startFlow}' is gone; starting with the greeting)`);
        write('── new conversation ──');
        await begin();
      } else if (line.startsWith('/text ')) {
        show(await conversation!.say(line.slice('/text '.length)));
      } else if (line.startsWith('/')) {
        write('  commands: /restart (reload the flows and start over), /text 2 (send "2" as typed text), /quit');
      } else if (line !== '') {
        const number = /^\d+$/.test(line) ? Number(line) : undefined;
        const button = number === undefined ? undefined : conversation!.onScreen()[number - 1];
        if (button) write(`  → pressed [${number}] ${button.title}`);
        show(button ? await conversation!.press(button) : await conversation!.say(line));
      }
      if (io.interactive) rl.prompt();
    }
  } finally {
    rl.close();
    await simulator.close();
  }
  return 0;
}

/** Prints the bot's replies; with `flows` (--debug), also where the conversation stands. */
function printTurn(write: (text: string) => void, turn: SimTurn, flows: FlowSet | undefined): void {
  // Buttons are numbered across the turn's replies, as SimConversation.onScreen() lists them.
  let number = 0;
  for (const reply of turn.replies) {
    write(`bot › ${reply.text.split('\n').join('\n      ')}`);
    if (reply.buttons.length > 0) write(`      ${reply.buttons.map((b) => `[${(number += 1)}] ${b.title}`).join('   ')}`);
  }
  if (turn.handoff !== undefined) {
    write(`  ⇢ handed to a person: ${turn.handoff}`);
    write('    (an agent would take over now, and the bot stays quiet; /restart to start over)');
  } else if (turn.replies.length === 0 && turn.mode === 'human') {
    write('  (a person has this conversation; the bot stays quiet. /restart to start over)');
  }
  if (!flows) return;
  const { state, understood } = turn;
  if (understood) {
    const { decision } = understood;
    const chosen = decision.kind === 'flow' ? `flow ${decision.flow}` : decision.kind === 'knowledge' ? `article ${decision.article}` : 'not sure (decline)';
    write(`  · understood: ${chosen} at ${decision.confidence}${understood.language ? `, written in ${understood.language}` : ''}: ${understood.why}`);
    if (understood.candidates.length > 0) write(`  · candidates: ${understood.candidates.map((c) => `${c.kind} ${c.id} ${c.score}${c.meaning === undefined ? '' : ` (meaning ${c.meaning})`}`).join(', ')}`);
    if (understood.intent) write(`  · Parley's own request: ${understood.intent.name} at ${understood.intent.confidence} (a running server answers it before any flow)`);
  }
  const where = state.awaiting
    ? `flow ${state.awaiting.flow} › step ${stepLabel(flows, state.awaiting.flow, state.awaiting.step).replace(/^'(.*)'$/, '$1')} (waiting for an answer${state.awaiting.attempts > 0 ? `, ${state.awaiting.attempts} wrong so far` : ''})`
    : 'idle: no flow is waiting for an answer';
  write(`  · ${where}`);
  const vars = Object.entries(state.vars).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  write(`  · vars: ${vars.length > 0 ? vars.join(', ') : '(none)'}${state.locale ? `  · locale: ${state.locale}` : ''}`);
}

async function reload(dir: string, write: (text: string) => void): Promise<FlowSet | undefined> {
  try {
    return await loadFlows(dir);
  } catch (error) {
    if (!isParleyError(error, 'FLOW_INVALID')) throw error;
    write(`  the flow files have problems, so the previous version stays in use:\n${error.message}`);
    return undefined;
  }
}

function defaultIo(): ChatIo {
  return { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) };
}
