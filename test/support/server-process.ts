import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedPgliteDataDir } from './pglite-template.ts';
import { seedWarmCaches } from './warm-caches.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const parleyBin = path.join(repoRoot, 'bin/parley.js');

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:43127 */
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** `performance.now()` of this process when the child was spawned (to line up the child's own clocks, e.g. a CPU profile). */
  spawnedAt: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartServerOptions {
  /**
   * Reuse a data directory (e.g. to restart on the same PGlite files), used as it is; otherwise a fresh temp
   * directory that starts from an initialized PGlite (see pglite-template.ts).
   */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
  /** Extra environment, on top of the defaults below. */
  env?: Record<string, string>;
  /** How long to wait for /healthz to answer 200. Default 30 s. */
  healthTimeoutMs?: number;
  /** How long `stop()` waits for the exit before it sends SIGKILL. Default 15 s. */
  stopTimeoutMs?: number;
  /** Options for Node itself, before the script (e.g. `--cpu-prof`, `--expose-gc`). Default none. */
  nodeArgs?: string[];
}

/** A port nothing listens on right now, on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A temp directory for one server's data; remove it with `removeDataDir`. */
export function makeDataDir(prefix = 'parley-proc-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Runs `node bin/parley.js start` as a child process (the real CLI, as a user runs it) on 127.0.0.1 and resolves
 * once GET /healthz answers 200. Rejects with the process's output when it exits early or never becomes healthy.
 */
export async function startServerProcess(options: StartServerOptions = {}): Promise<ServerProcess> {
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    dataDir = makeDataDir();
    if (!options.env?.DATABASE_URL) await seedPgliteDataDir(dataDir);
  }
  seedWarmCaches(dataDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), parleyBin, 'start'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      FLOWS_DIR: path.join(repoRoot, 'flows'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const spawnedAt = performance.now();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = exited(child);

  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const handle: ServerProcess = {
    url,
    port,
    dataDir,
    child,
    spawnedAt,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + (options.healthTimeoutMs ?? 60_000);
  let lastProblem = 'no answer yet';
  let early: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exit.then((result) => (early = result));
  while (Date.now() < deadline) {
    if (early) {
      throw new Error(`parley start exited (code ${early.code}, signal ${early.signal}) before it was healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return handle;
      lastProblem = `/healthz answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await handle.stop('SIGKILL');
  throw new Error(`parley start was not healthy at ${url} within the timeout (${lastProblem}):\n${output}`);
}
