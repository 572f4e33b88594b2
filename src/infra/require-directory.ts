/**
 * A directory that a setting or a command-line argument names: it must exist and be a directory. Otherwise one
 * line that names the setting (or argument) and the path, as a CONFIG_INVALID error (the CLI's exit code for
 * configuration errors), instead of a stack trace from deep inside a loader.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ParleyError } from '../core/errors.ts';

export interface NamedDirectory {
  /** What it holds, for the message: "knowledge directory", "flows directory". */
  what: string;
  /** Where the path came from: "--kb", "KNOWLEDGE_DIR". */
  named: string;
  /** A file name ending that such a directory holds (".md"), to tell someone standing inside one what to pass. */
  holds?: string;
  /** The argument that takes the directory, for that hint ("--kb"). */
  argument?: string;
}

export async function requireDirectory(dir: string, about: NamedDirectory): Promise<string> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const reason = info.code === 'ENOENT' ? 'does not exist' : `cannot be read (${info.code ?? 'error'})`;
    throw new ParleyError('CONFIG_INVALID', `the ${about.what} ${dir} ${reason} (${about.named})${await insideHint(dir, about)}`);
  }
  if (!info.isDirectory()) throw new ParleyError('CONFIG_INVALID', `the ${about.what} ${dir} is not a directory (${about.named})`);
  return dir;
}

/**
 * "; the working directory holds .md files: to use it, pass --kb ." for a default that resolved inside the working
 * directory ("./knowledge" run from inside knowledge/), when the working directory looks like the one meant.
 */
async function insideHint(dir: string, about: NamedDirectory): Promise<string> {
  if (!about.holds || !about.argument || about.named === about.argument || path.dirname(dir) !== process.cwd()) return '';
  const here = await readdir(process.cwd()).catch(() => [] as string[]);
  return here.some((name) => name.endsWith(about.holds!)) ? `; the working directory holds ${about.holds} files: to use it, pass ${about.argument} .` : '';
}
