import { createHash } from 'node:crypto';
import type { UnderstandOptions } from './understander.ts';

/**
 * What decides the understanding of a message besides the flows and articles: its words, the conversation's language
 * and the previous question (for a follow-up). A digest, so that decisions kept in memory hold no customer's words
 * as their keys.
 */
export function decisionKey(text: string, options: Pick<UnderstandOptions, 'locale' | 'previous'>): string {
  return createHash('sha256').update(`${options.locale ?? ''}\u0000${options.previous ?? ''}\u0000${text}`).digest('base64');
}
