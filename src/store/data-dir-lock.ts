import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ParleyError } from '../core/errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's files may be opened by one process only: a second one would corrupt them. A pid file claims the
 * directory; a claim whose process is gone (killed, crashed) is taken over. Returns the function that releases it.
 */
export function claimDataDir(dir: string): () => void {
  const file = path.join(dir, 'parley.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder === process.pid || (Number.isInteger(holder) && holder > 0 && alive(holder))) {
        throw new ParleyError(
          'DATABASE_UNAVAILABLE',
          `Another Parley process (pid ${holder}) is using the embedded database in ${dir}: stop it, or set DATA_DIR or DATABASE_URL.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new ParleyError('DATABASE_UNAVAILABLE', `Cannot claim the data directory ${dir}`);
}
