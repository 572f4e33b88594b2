/** `parley kb …`: the knowledge base from the command line, for editors and scripts. */
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../config.ts';
import { createLogger, type Logger } from '../infra/logger.ts';
import { createKnowledgeBase, loadKnowledge } from '../kb/index.ts';
import { knowledgeDirectory } from './directories.ts';
import { parseCliArgs } from './parse-cli-args.ts';

const USAGE = `Usage: parley kb <command> [options]

Commands:
  check  [--kb DIR]                        report broken knowledge files as path:line (exit 1 if any)
  stats  [--kb DIR] [--json]               count files, articles and passages
  ask    [--kb DIR] [--json] [--offline] [QUESTION]
                                           answer QUESTION; without one, read one question per line from
                                           standard input and write one JSON line per question, in order
  gaps   [--limit N] [--since YYYY-MM-DD] [--json]
                                           questions the bot could not answer, similar ones grouped,
                                           most frequent first
  help                                     show this help

--kb DIR loads a knowledge directory other than KNOWLEDGE_DIR (default ./knowledge).
--offline answers without OpenAI even when OPENAI_API_KEY is set.
`;

export async function kbCommand(args: string[]): Promise<number> {
  const [name = 'help', ...rest] = args;
  switch (name) {
    case 'check':
      return checkCommand(rest);
    case 'stats':
      return statsCommand(rest);
    case 'ask':
      return (await import('./kb-ask.ts')).kbAskCommand(rest);
    case 'gaps':
      return (await import('./kb-gaps.ts')).kbGapsCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`parley kb: unknown command '${name}'\n\n${USAGE}`);
      return 2;
  }
}


/** A quiet logger on stderr: warnings and errors only, so stdout stays machine-readable. */
export function cliLogger(config: Config): Logger {
  const level = ['debug', 'trace', 'silent', 'error', 'fatal'].includes(config.logLevel) ? config.logLevel : 'warn';
  return createLogger({ level, redact: config.logRedact, destination: pino.destination({ fd: 2, sync: true }) });
}

function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative === '') return '.';
  return relative.startsWith('..') ? file : relative;
}

async function checkCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { kb: { type: 'string' } }, allowPositionals: false });
  const dir = await knowledgeDirectory(loadConfig(), values.kb);
  const loaded = await loadKnowledge(dir);
  for (const issue of loaded.issues) process.stdout.write(`${display(issue.file)}:${issue.line}: ${issue.message}\n`);
  const passages = loaded.articles.reduce((sum, a) => sum + a.passages.length, 0);
  const summary = `${loaded.files} files, ${loaded.articles.length} articles, ${passages} passages`;
  if (loaded.issues.length > 0) {
    process.stderr.write(`${display(dir)}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? '' : 's'} (${summary} loaded)\n`);
    return 1;
  }
  process.stdout.write(`${display(dir)}: ok, ${summary}\n`);
  return 0;
}

async function statsCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { kb: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false });
  const config = loadConfig();
  const kb = await createKnowledgeBase({ dir: await knowledgeDirectory(config, values.kb), dataDir: config.dataDir, recordGaps: false, logger: cliLogger(config) });
  const stats = kb.stats();
  await kb.close();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  }
  const list = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  process.stdout.write(
    [
      `files      ${stats.files}`,
      `articles   ${stats.articles}`,
      `passages   ${stats.passages}`,
      `locales    ${list(stats.locales)}`,
      `tags       ${list(stats.tags)}`,
      `problems   ${stats.issues}${stats.issues > 0 ? ' (see parley kb check)' : ''}`,
      `index      ${stats.index === 'loaded' ? 'loaded (unchanged since it was built and kept under DATA_DIR)' : stats.index === 'updated' ? 'updated (the changed files re-indexed alone)' : 'built'}`,
      '',
    ].join('\n'),
  );
  return 0;
}
