import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ParleyError } from '../core/errors.ts';

/** node:util parseArgs, with a mistyped option reported as a one-line usage error (exit 2) instead of a stack. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new ParleyError('BAD_REQUEST', (error as Error).message);
    throw error;
  }
}
