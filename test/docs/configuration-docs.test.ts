import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('configuration documentation', () => {
  const envExample = new Set([...read('.env.example').matchAll(/^#?\s?([A-Za-z][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));
  const settingsTable = new Set([...read('docs/configuration.md').matchAll(/^\|\s*`([A-Za-z][A-Za-z0-9_]*)`\s*\|/gm)].map((m) => m[1]));

  it('.env.example documents every setting Parley reads, and nothing else', () => {
    expect([...envExample].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('the configuration reference (docs/configuration.md) lists the same settings as .env.example', () => {
    expect([...settingsTable].sort()).toEqual([...envExample].sort());
  });

  it('the README points to it', () => {
    expect(read('README.md')).toContain('[docs/configuration.md](docs/configuration.md)');
  });
});
