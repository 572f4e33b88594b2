/** Temporary knowledge directories for tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const demoKnowledge = path.join(repoRoot, 'knowledge');

/** Makes a directory with the given files (path → content); returns it and a cleanup. */
export async function tempDir(files: Record<string, string> = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-kb-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A Markdown article with front matter. */
export function article(front: { title: string; questions?: string[]; tags?: string[]; locale?: string }, body: string): string {
  const lines = ['---', `title: ${JSON.stringify(front.title)}`];
  if (front.questions) lines.push('questions:', ...front.questions.map((q) => `  - ${JSON.stringify(q)}`));
  if (front.tags) lines.push(`tags: [${front.tags.join(', ')}]`);
  if (front.locale) lines.push(`locale: ${front.locale}`);
  lines.push('---', body);
  return lines.join('\n');
}
