import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import { loadFlows, parseFlowFile } from '../../src/engine/index.ts';
import { flowsFrom, issuesOf, yaml } from './helpers.ts';

/** The single problem parseFlowFile reports for `source`, as `line:col message`. */
function problemIn(source: string): string {
  const issues = issuesOf(() => parseFlowFile('flows/x.yaml', source));
  expect(issues).toHaveLength(1);
  const [issue] = issues;
  expect(issue!.file).toBe('flows/x.yaml');
  return `${issue!.line}:${issue!.col} ${issue!.message}`;
}

describe('parseFlowFile reports each kind of mistake at its position', () => {
  it('YAML syntax: unquoted text containing ": "', () => {
    const source = yaml`
      flow: a
      steps:
        - say: Note: we are closed today
    `;
    expect(problemIn(source)).toBe('3:10 YAML: Nested mappings are not allowed in compact mappings (text with ": " in it needs quotes)');
  });

  it('unknown step type, with a suggestion', () => {
    const source = yaml`
      flow: a
      steps:
        - say: hi
        - sya: hello
    `;
    expect(problemIn(source)).toBe("4:5 unknown step type 'sya' (did you mean 'say'?); a step is one of say, ask, if, set, goto, handoff, end, call, answer");
  });

  it('missing required field', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "What's your name?"
          validate: text
    `;
    expect(problemIn(source)).toBe("3:5 missing required field 'var'");
  });

  it('wrong type', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "What's your name?"
          var: name
          retries: "three"
    `;
    expect(problemIn(source)).toBe("5:14 retries must be a number, not 'three'");
  });

  it('unknown key, inside an inline branch', () => {
    const source = yaml`
      flow: a
      steps:
        - if: "x == 1"
          then:
            - say: hi
              buttns: [{ title: Menu, payload: a }]
    `;
    expect(problemIn(source)).toBe("6:9 unknown key 'buttns' (did you mean 'buttons'?)");
  });

  it('duplicate step id', () => {
    const source = yaml`
      flow: a
      steps:
        - id: hello
          say: hi
        - id: hello
          say: hi again
    `;
    expect(problemIn(source)).toBe("5:9 duplicate step id 'hello' (first used on line 3)");
  });

  it('goto an unknown step', () => {
    const source = yaml`
      flow: a
      steps:
        - goto: { step: nowhere }
    `;
    expect(problemIn(source)).toBe("3:19 no step 'nowhere' in this flow");
  });

  it('invalid regex in a pattern', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "Order number?"
          var: order
          validate: { type: pattern, pattern: "^BW-(\\d{5}$" }
    `;
    expect(problemIn(source)).toBe('5:41 invalid regular expression (Unterminated group)');
  });

  it('a button without payload', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "Pick one"
          var: pick
          buttons:
            - { title: Yes, payload: "yes" }
            - { title: No }
    `;
    expect(problemIn(source)).toBe("7:9 missing required field 'payload'");
  });

  it('unknown validate type', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "When?"
          var: day
          validate: { type: date }
    `;
    expect(problemIn(source)).toBe("5:23 unknown type 'date'; use one of 'text', 'number', 'email', 'phone', 'pattern', 'code', 'choice'");
  });

  it('a condition that does not parse, pointing inside it', () => {
    const source = yaml`
      flow: a
      steps:
        - if: "answer = 'yes'"
          then: { say: ok }
    `;
    expect(problemIn(source)).toBe("3:17 use '==' to compare");
  });

  it('an empty flow, and an empty file', () => {
    expect(problemIn('flow: a\nsteps: []\n')).toBe('2:1 the flow has no steps');
    expect(problemIn('')).toBe('1:1 the file is empty; a flow needs `flow:` and `steps:`');
  });

  it('a {{variable}} with malformed braces, pointing at the braces', () => {
    expect(problemIn('flow: a\nsteps:\n  - say: Thanks {{name}, see you!\n')).toBe("3:17 '{{' is never closed with '}}'");
    expect(problemIn('flow: a\nsteps:\n  - say: "Hi {name}}"\n')).toBe("3:19 '}}' without a matching '{{'");
  });

  it('a choice without options', () => {
    const source = yaml`
      flow: a
      steps:
        - ask: "Which one?"
          var: pick
          validate: choice
    `;
    expect(problemIn(source)).toBe('5:15 a choice needs options: give the ask buttons, or validate: { type: choice, options: [...] }');
  });

  it('reports every problem in a file, in order, with a file:line:col message per line', () => {
    const source = yaml`
      flow: a
      descripton: typo
      steps:
        - say: hi
          buttns: []
        - ask: 5
          var: x
    `;
    let message = '';
    const issues = issuesOf(() => {
      try {
        parseFlowFile('flows/a.yaml', source);
      } catch (error) {
        message = (error as Error).message;
        throw error;
      }
    });
    expect(issues.map((i) => `${i.line}:${i.col}`)).toEqual(['2:1', '5:5', '6:10']);
    expect(message.split('\n')).toEqual([
      "flows/a.yaml:2:1  unknown key 'descripton' (did you mean 'description'?)",
      "flows/a.yaml:5:5  unknown key 'buttns' (did you mean 'buttons'?)",
      'flows/a.yaml:6:10  ask must be text, or one text per language (en: …, de: …), not 5',
    ]);
  });
});

describe('buildFlowSet checks across files', () => {
  const hello = (name: string, extra = '') => `flow: ${name}\n${extra}steps:\n  - say: hi\n`;

  it('goto an unknown flow', () => {
    const issues = issuesOf(() => flowsFrom({ 'a.yaml': 'flow: a\nsteps:\n  - say: hi\n  - goto: { flow: nope }\n' }));
    expect(issues).toEqual([{ file: 'a.yaml', line: 4, col: 19, message: "goto 'nope': no step of that name in this flow, and no flow named 'nope'" }]);
  });

  it('a duplicate flow name across files', () => {
    const issues = issuesOf(() => flowsFrom({ 'a.yaml': hello('same'), 'b.yaml': hello('same') }));
    expect(issues).toEqual([{ file: 'b.yaml', line: 1, col: 7, message: "flow 'same' is already defined in a.yaml" }]);
  });

  it('two start flows', () => {
    const start = 'triggers:\n  start: true\n';
    const issues = issuesOf(() => flowsFrom({ 'a.yaml': hello('a', start), 'b.yaml': hello('b', start) }));
    expect(issues).toEqual([{ file: 'b.yaml', line: 3, col: 10, message: "only one flow can have start: true, and 'a' already does" }]);
  });

  it('a say button whose payload starts no flow', () => {
    const source = 'flow: a\nsteps:\n  - say: hi\n    buttons: [{ title: Go, payload: elsewhere }]\n';
    const issues = issuesOf(() => flowsFrom({ 'a.yaml': source }));
    expect(issues[0]).toMatchObject({ line: 4, col: 37 });
    expect(issues[0]!.message).toMatch(/^button payload 'elsewhere' starts no flow/);
  });

  it('does not also blame references to a flow whose own file is broken', () => {
    const issues = issuesOf(() => flowsFrom({
      'a.yaml': 'flow: a\nsteps:\n  - goto: b\n',
      'b.yaml': 'flow: b\nsteps:\n  - sya: hi\n',
    }));
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col}`)).toEqual(['b.yaml:3:5']);
  });
});

describe('loadFlows', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the problems of two files at once, skipping conversation tests', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-flows-'));
    await mkdir(path.join(dir, 'nested'));
    await writeFile(path.join(dir, 'good.yaml'), 'flow: good\nsteps:\n  - say: hi\n');
    await writeFile(path.join(dir, 'one.yaml'), 'flow: one\nsteps:\n  - say: hi\n    retries: 2\n');
    await writeFile(path.join(dir, 'nested', 'two.yml'), 'flow: two\nsteps:\n  - goto: { step: nowhere }\n');
    await writeFile(path.join(dir, 'good.test.yaml'), 'this: [is not a flow\n');
    const error = await loadFlows(dir).then(() => undefined, (e: unknown) => e);
    expect(isParleyError(error, 'FLOW_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message.split('\n')).toEqual([
      `${path.join(dir, 'nested', 'two.yml')}:3:19  no step 'nowhere' in this flow`,
      `${path.join(dir, 'one.yaml')}:4:5  'retries' is not allowed here`,
    ]);
  });

  it('loads the demo flows cleanly', async () => {
    const flows = await loadFlows(path.resolve('flows'));
    expect([...flows.flows.keys()].sort()).toEqual(['contact', 'fallback', 'greeting', 'human', 'language', 'order_status', 'returns']);
    expect(flows.startFlow).toBe('greeting');
    expect(flows.fallbackFlow).toBe('fallback');
    expect(flows.version).toMatch(/^[0-9a-f]{16}$/);
  });
});
