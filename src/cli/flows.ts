/** `parley flows <schema|check|test>`: the content editor's tools for flow files. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { ParleyError } from '../core/errors.ts';
import { flowsDirectory, knowledgeDirectory } from './directories.ts';
import { parseCliArgs } from './parse-cli-args.ts';

export const FLOWS_USAGE = `Usage: parley flows <command>

Commands:
  check [DIR] [--kb DIR]          report every problem in the flow files (default DIR: FLOWS_DIR, else ./flows), and
                                  keywords common in the knowledge base (default --kb: KNOWLEDGE_DIR, else ./knowledge)
  test [DIR]                      run the conversation tests (*.test.yaml) under DIR against its flows
  schema [--tests] [--out FILE]   print (or write) the JSON Schema of flow files (--tests: of test files)
`;

type Subcommand = (args: string[]) => Promise<number>;

// Each subcommand loads only what it uses: `check` runs often and should not wait for the database code `test` needs.
const subcommands: Record<string, Subcommand> = {
  check: async (args) => {
    const { positionals, values } = parseCliArgs({ args, allowPositionals: true, options: { kb: { type: 'string' } } });
    const { checkFlowsDir, formatProblem, summarize } = await import('../editor/check-flows.ts');
    const config = loadConfig();
    const knowledgeDir = values.kb === undefined ? config.knowledgeDir : await knowledgeDirectory(config, values.kb);
    const result = await checkFlowsDir(await flowsDirectory(config, positionals[0], 'DIR'), process.cwd(), { knowledgeDir });
    for (const problem of result.problems) out(formatProblem(problem));
    if (result.files === 0) {
      out(`no flow files (*.yaml) in ${positionals[0] ?? 'the flows directory'}`);
      return 1;
    }
    out(summarize(result));
    return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
  },
  test: async (args) => {
    const { positionals } = parseCliArgs({ args, allowPositionals: true, options: {} });
    const dir = await flowsDirectory(loadConfig(), positionals[0], 'DIR');
    const [{ findTestFiles, runTestFiles }, { formatReport, tally }, { openSimulator }, { simulatorOptions }] = await Promise.all([
      import('../editor/conversation-tests/run-tests.ts'),
      import('../editor/conversation-tests/report.ts'),
      import('../editor/simulator-effects.ts'),
      import('./simulator-options.ts'),
    ]);
    const files = await findTestFiles(dir).catch(() => {
      throw new ParleyError('BAD_REQUEST', `no flows directory at ${dir}`);
    });
    if (files.length === 0) {
      out(`no conversation tests (*.test.yaml) in ${dir}`);
      return 1;
    }
    const config = loadConfig();
    const outcomes = await runTestFiles(files, dir, { open: (flows) => openSimulator(flows, simulatorOptions(config, { useModel: false })) });
    out(formatReport(outcomes));
    return tally(outcomes).failed > 0 ? 1 : 0;
  },
  schema: async (args) => {
    const { values } = parseCliArgs({ args, options: { out: { type: 'string' }, tests: { type: 'boolean', default: false } } });
    const { conversationTestJsonSchema, flowJsonSchema, schemaText } = await import('../editor/flow-json-schema.ts');
    const text = schemaText(values.tests ? conversationTestJsonSchema() : flowJsonSchema());
    if (values.out === undefined) {
      process.stdout.write(text);
      return 0;
    }
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(values.out, text);
    out(`wrote ${values.out}`);
    return 0;
  },
};

export async function flowsCommand(args: string[]): Promise<number> {
  const [name = 'help', ...rest] = args;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(FLOWS_USAGE);
    return 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    process.stderr.write(`parley flows: unknown command '${name}'\n\n${FLOWS_USAGE}`);
    return 2;
  }
  return subcommand(rest);
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
