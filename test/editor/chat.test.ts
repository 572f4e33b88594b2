import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yaml } from '../engine/helpers.ts';
import { repoRoot } from '../support/app.ts';

const pizza = yaml`
  flow: pizza
  triggers: { start: true, keywords: [pizza, menu] }
  steps:
    - say: "Welcome to Pizza Parley!"
    - id: size
      ask: "Which size?"
      var: size
      validate: choice
      buttons: [{ title: Small, payload: small }, { title: Large, payload: large }]
    - say: "One {{size}} pizza coming up."
      buttons: [{ title: Talk to a person, payload: human }]
`;
const human = yaml`
  flow: human
  triggers: { keywords: [person] }
  steps:
    - say: "Passing you to a colleague."
    - handoff: "customer asked for a person"
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-chat-'));
  writeFileSync(path.join(dir, 'pizza.yaml'), pizza);
  writeFileSync(path.join(dir, 'human.yaml'), human);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `parley chat` with these lines typed; resolves with what it printed and its exit code. */
function chat(args: string[], lines: string[], onOutput?: (text: string) => void): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'chat', ...args], {
      cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      onOutput?.(out);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ out, err, code }));
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

// Each test starts `parley chat` (an in-memory database and the demo order API): seconds, more on a busy machine.
describe('parley chat', { timeout: 90_000 }, () => {
  it('greets, shows buttons as numbers, and a typed number presses the button', async () => {
    const { out, code } = await chat(['--flows', dir], ['2', '/quit']);
    expect(code).toBe(0);
    expect(out).toContain([
      'bot › Welcome to Pizza Parley!',
      'bot › Which size?',
      '      [1] Small   [2] Large',
      'you › 2',
      '  → pressed [2] Large',
      'bot › One large pizza coming up.',
      '      [1] Talk to a person',
    ].join('\n'));
  });

  it('with --debug, shows the flow, the step and the variables after each turn', async () => {
    const { out } = await chat(['--flows', dir, '--debug'], ['huge', 'small']);
    expect(out).toContain('  · flow pizza › step size (waiting for an answer)\n  · vars: (none)');
    expect(out).toContain('you › huge\nbot › Please pick one of the options.');
    expect(out).toContain('  · flow pizza › step size (waiting for an answer, 1 wrong so far)');
    expect(out).toContain('bot › One small pizza coming up.');
    expect(out).toContain('  · idle: no flow is waiting for an answer\n  · vars: size="small"');
  });

  it('--flow starts that flow directly; a handoff is shown and the bot then stays quiet', async () => {
    const { out } = await chat(['--flows', dir, '--flow', 'human'], ['hello?']);
    expect(out).not.toContain('Welcome to Pizza Parley!');
    expect(out).toContain('bot › Passing you to a colleague.\n  ⇢ handed to a person: customer asked for a person');
    expect(out).toContain('you › hello?\n  (a person has this conversation; the bot stays quiet. /restart to start over)');
  });

  it('/restart reloads the edited flow files and starts a new conversation', async () => {
    const editable = mkdtempSync(path.join(tmpdir(), 'parley-chat-edit-'));
    writeFileSync(path.join(editable, 'pizza.yaml'), pizza);
    writeFileSync(path.join(editable, 'human.yaml'), human);
    let edited = false;
    const result = await new Promise<Awaited<ReturnType<typeof chat>>>((resolve, reject) => {
      // Edit the file once the first greeting is on screen, before /restart is read.
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'chat', '--flows', editable], { cwd: repoRoot });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!edited && out.includes('[2] Large')) {
          edited = true;
          writeFileSync(path.join(editable, 'pizza.yaml'), pizza.replace('Welcome to Pizza Parley!', 'Welcome back to Pizza Parley!'));
          child.stdin.end('/restart\n/quit\n');
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ out, err: '', code }));
    });
    rmSync(editable, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(result.out).toContain('you › /restart\n── new conversation ──\nbot › Welcome back to Pizza Parley!');
  });

  it('an unknown --flow is a one-line error naming the flows, exit 2', async () => {
    const { err, code } = await chat(['--flows', dir, '--flow', 'pasta'], []);
    expect(code).toBe(2);
    expect(err).toBe("parley: no flow named 'pasta'; the flows are: human, pizza\n");
  });

  it('runs the demo flows the server serves', async () => {
    const { out, code } = await chat([], ['/quit']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Parley chat: \d+ flows from .*flows\./);
    expect(out).toContain("bot › Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.");
  });
});
