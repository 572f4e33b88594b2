import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ParleyError } from '../core/errors.ts';

export function invalidSetting(message: string): ParleyError {
  return new ParleyError('CONFIG_INVALID', `Invalid configuration: ${message}`);
}

/**
 * A setting holding JSON, given inline (`NAME`) or as a file (`NAME_FILE`, relative to cwd), never both; checked
 * against `schema`. Undefined when neither is set. Errors name the setting and the path in the JSON, never a value.
 */
export function readJsonSetting<S extends z.ZodType>(
  env: Record<string, string | undefined>,
  name: string,
  schema: S,
  cwd: string,
): { source: string; value: z.infer<S> } | undefined {
  const inline = env[name]?.trim() || undefined;
  const file = env[`${name}_FILE`]?.trim() || undefined;
  if (inline && file) throw invalidSetting(`set ${name} or ${name}_FILE, not both`);
  if (!inline && !file) return undefined;
  const source = file ? `${name}_FILE (${file})` : name;
  let text = inline ?? '';
  if (file) {
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw invalidSetting(`${source}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidSetting(`${source}: not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw invalidSetting(parsed.error.issues.map((issue) => `${source}: ${[...issue.path].join('.') || '(top)'}: ${issue.message}`).join('; '));
  }
  return { source, value: parsed.data };
}
