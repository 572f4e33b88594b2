/** Runs `node bin/parley.js …` the way an editor or a script would, with a clean environment. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './kb-dir.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const started = Date.now();
  // Only what the command needs: no OPENAI_API_KEY, DATABASE_URL or KNOWLEDGE_DIR from the developer's shell.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...options.env };
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/parley.js'), ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
