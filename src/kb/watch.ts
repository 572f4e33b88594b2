/** Watches a knowledge directory and calls back once per burst of changes (editors save several files at once). */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { isKnowledgeFile } from './load.ts';

export interface Watcher {
  close(): void;
}

export function watchDirectory(dir: string, onChange: () => void, debounceMs = 200): Watcher {
  let timer: NodeJS.Timeout | null = null;
  const fire = (filename: string | null) => {
    // Editors' swap and backup files are not knowledge; an unknown name might be (a directory renamed).
    if (filename && !isKnowledgeFile(filename) && path.extname(filename) !== '') return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
    timer.unref();
  };
  const watcher: FSWatcher = watch(dir, { recursive: true, persistent: false }, (_event, filename) => fire(filename ? String(filename) : null));
  watcher.on('error', () => watcher.close());
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
