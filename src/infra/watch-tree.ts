/**
 * Watches a directory tree (flows, knowledge) and calls back once per burst of changes: editors save several files at
 * once, or write a temporary file and rename it over the old one. Built on chokidar, which keeps one watch per
 * directory and re-arms for new ones: Node 20's own `fs.watch(dir, { recursive: true })` on Linux watches per file,
 * so after a rename-save in a subdirectory later saves and deletes of that file went unnoticed.
 *
 * A watcher error (a symlink loop, a directory that cannot be read, no inotify watches left) is logged and the watch
 * is started afresh after a pause, longer each time errors follow one another; when it is running again, `onChange` is
 * called once for whatever changed meanwhile. The same happens when the watched directory itself is removed (a deploy
 * that swaps the folder): the watch resumes once it is back.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from './logger.ts';

export interface TreeWatcherOptions {
  /** What is watched, for the logs (`flows`, `knowledge`). */
  what: string;
  /** Whether a change to this file (relative to the directory, `/`-separated) matters; directories always do. */
  relevant: (relative: string) => boolean;
  onChange: () => void;
  logger?: Logger;
  /** Quiet time after the last change before `onChange`. */
  debounceMs: number;
  /** First pause before watching again after an error; doubled per error that follows within `maxRestartMs`. Default 1 s. */
  restartMs?: number;
  /** Longest pause before watching again. Default 60 s. */
  maxRestartMs?: number;
}

export interface TreeWatcher {
  /** Settles once the tree has been read and changes are reported (at once when the directory is missing). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Starts watching `dir`; changes before `ready` are not reported (the caller has just loaded the directory). */
export function watchTree(dir: string, options: TreeWatcherOptions): TreeWatcher {
  const root = path.resolve(dir);
  const restartMs = options.restartMs ?? 1000;
  const maxRestartMs = options.maxRestartMs ?? 60_000;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let restart: NodeJS.Timeout | undefined;
  let pause = restartMs;
  let lastTroubleAt = 0;
  let closed = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(options.onChange, options.debounceMs);
    debounce.unref();
  };

  const start = (afterTrouble: boolean) => {
    if (closed) return;
    if (!existsSync(root)) {
      markReady();
      return scheduleRestart();
    }
    const current = watch(root, { ignoreInitial: true, persistent: false, ignored: (file) => /[\\/](?:node_modules|\.git)$/.test(file) });
    watcher = current;
    current.on('all', (event, file) => {
      if (current !== watcher) return;
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (relative === '' && event === 'unlinkDir') {
        options.logger?.warn({ dir: root }, `watching ${options.what}: the directory was removed; watching again when it is back`);
        return void replace();
      }
      if (event === 'addDir' || event === 'unlinkDir' || options.relevant(relative)) changed();
    });
    current.on('error', (error) => {
      if (current !== watcher) return;
      const { code, message } = error as NodeJS.ErrnoException;
      options.logger?.warn({ dir: root, code, err: message }, `watching ${options.what} failed; watching again shortly`);
      markReady();
      replace();
    });
    current.once('ready', markReady);
    // Whatever changed while nothing was watching is picked up by one reload once the new watch is in place.
    if (afterTrouble) current.once('ready', () => current === watcher && changed());
  };

  const replace = () => {
    const old = watcher;
    watcher = undefined;
    void old?.close().catch(() => {});
    scheduleRestart();
  };

  const scheduleRestart = () => {
    if (closed || restart) return;
    const now = Date.now();
    pause = now - lastTroubleAt > maxRestartMs ? restartMs : Math.min(pause * 2, maxRestartMs);
    lastTroubleAt = now;
    restart = setTimeout(() => {
      restart = undefined;
      start(true);
    }, pause);
    restart.unref();
  };

  start(false);
  return {
    ready,
    async close() {
      closed = true;
      markReady();
      clearTimeout(debounce);
      clearTimeout(restart);
      const old = watcher;
      watcher = undefined;
      await old?.close().catch(() => {});
    },
  };
}
