/**
 * The names of the studio's files: `flows/greeting.yaml`, `flows/returns.test.yaml`, `knowledge/products/halo-hub.md`.
 * A path names a file under one of the two roots and nothing else: no `..`, no absolute path, no backslash or control
 * character, and only the kinds of file the flow loader and the knowledge base read.
 */
import { ParleyError } from '../core/errors.ts';
import { isFlowFile } from '../engine/load-flows.ts';
import { isKnowledgeFile } from '../kb/load.ts';

export type FileKind = 'flow' | 'test' | 'article' | 'faq';
export const ROOTS = ['flows', 'knowledge'] as const;
export type Root = (typeof ROOTS)[number];

const MAX_PATH = 300;

/** The kind of file a well-formed path names; undefined when it is no flow, test, article or FAQ file. */
export function kindOf(path: string): FileKind | undefined {
  const [root, ...rest] = path.split('/');
  const name = rest.at(-1) ?? '';
  if (root === 'flows') return isFlowFile(name) ? 'flow' : /\.test\.ya?ml$/i.test(name) ? 'test' : undefined;
  if (root === 'knowledge' && isKnowledgeFile(rest.join('/'))) return /\.jsonl$/i.test(name) ? 'faq' : 'article';
  return undefined;
}

/** The path, checked: throws BAD_REQUEST saying what is wrong with it. */
export function checkStudioPath(path: unknown): string {
  const refuse = (why: string) => new ParleyError('BAD_REQUEST', `path ${why}`);
  if (typeof path !== 'string' || path.length === 0) throw refuse('is missing');
  if (path.length > MAX_PATH) throw refuse(`is longer than ${MAX_PATH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw refuse('may not contain a backslash or a control character');
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) throw refuse('must be relative, without empty, . or .. parts');
  if (!(ROOTS as readonly string[]).includes(parts[0]!) || parts.length < 2) throw refuse('must be under flows/ or knowledge/');
  if (!kindOf(path)) {
    throw refuse(parts[0] === 'flows' ? 'must name a .yaml flow or .test.yaml test file' : 'must name a .md article or a .jsonl FAQ file (no part starting with _ or .)');
  }
  return path;
}

export function rootOf(path: string): Root {
  return path.startsWith('flows/') ? 'flows' : 'knowledge';
}
