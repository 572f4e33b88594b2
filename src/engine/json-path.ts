/** Reads the values a `call` step saves out of a JSON answer. */
import type { VarValue } from './types.ts';

/** Longest text kept from one saved value; a variable is for a status or a date, not a document. */
export const MAX_SAVED_TEXT = 1000;

const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/y;

/**
 * The value at `path` (`data`, `data.order.status`, `data.items[0].name`; `data` is the whole answer) as a
 * variable: text, a number, true/false; null when it is missing, or a list or an object (which a variable cannot hold).
 */
export function readPath(data: unknown, path: string): VarValue {
  let node: unknown = data;
  SEGMENT.lastIndex = 'data'.length;
  while (SEGMENT.lastIndex < path.length) {
    const match = SEGMENT.exec(path);
    if (!match) return null;
    if (match[1] !== undefined) {
      node = isRecord(node) && Object.hasOwn(node, match[1]) ? node[match[1]] : undefined;
    } else {
      node = Array.isArray(node) ? node[Number(match[2])] : undefined;
    }
  }
  if (typeof node === 'string') return node.slice(0, MAX_SAVED_TEXT);
  if (typeof node === 'number' || typeof node === 'boolean') return node;
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
