/** The flows and knowledge directories a command uses: from its argument, else the setting; checked to exist. */
import path from 'node:path';
import type { Config } from '../config.ts';
import { requireDirectory } from '../infra/require-directory.ts';

export function knowledgeDirectory(config: Config, given: string | undefined): Promise<string> {
  return requireDirectory(given === undefined ? config.knowledgeDir : path.resolve(given), {
    what: 'knowledge directory', named: given === undefined ? 'KNOWLEDGE_DIR' : '--kb', holds: '.md', argument: '--kb',
  });
}

/** `argument`: how the command takes the directory ("--flows", or "DIR" for a positional one). */
export function flowsDirectory(config: Config, given: string | undefined, argument = '--flows'): Promise<string> {
  return requireDirectory(given === undefined ? config.flowsDir : path.resolve(given), {
    what: 'flows directory', named: given === undefined ? 'FLOWS_DIR' : argument, holds: '.yaml', argument,
  });
}
