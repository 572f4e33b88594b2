/**
 * The handoff context's summary: written by a model when one is configured, else extractive. The model gets a
 * deadline; whatever goes wrong with it (an error, a timeout, an empty reply), the extractive summary is used, so a
 * handoff never waits on the model longer than the deadline and never fails because of it.
 */
import type { ConversationState } from '../engine/types.ts';
import type { Logger } from '../infra/logger.ts';
import type { SummarySource, TranscriptLine } from './context.ts';

export interface Summary {
  text: string;
  source: SummarySource;
}

export interface SummaryInput {
  transcript: readonly TranscriptLine[];
  reason: string;
  vars: ConversationState['vars'];
}

/** Writes a summary of a conversation for the agent taking it over (a chat model in production). */
export interface SummaryWriter {
  /** Must stop when `signal` aborts; `summarize` stops waiting then anyway. */
  write(input: SummaryInput, signal: AbortSignal): Promise<string>;
}

export interface SummaryOptions {
  writer?: SummaryWriter;
  /** How long the writer may take (ms). */
  timeoutMs: number;
  logger?: Logger;
}

/** Longest model-written summary kept (characters); longer ones are cut at a sentence end where possible. */
export const MAX_SUMMARY_LENGTH = 1200;

export async function summarize(input: SummaryInput, options: SummaryOptions): Promise<Summary> {
  const extractive: Summary = { text: extractiveSummary(input.transcript, input.reason, input.vars), source: 'extractive' };
  if (!options.writer) return extractive;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error('timeout'));
    }, options.timeoutMs);
  });
  const started = Date.now();
  try {
    const written = tidy(await Promise.race([options.writer.write(input, controller.signal), deadline]));
    if (written === '') throw new Error('empty reply');
    return { text: written, source: 'model' };
  } catch (error) {
    // Only why it failed is logged: the transcript and the reply may hold what a customer wrote.
    options.logger?.warn({ err: error instanceof Error ? error.message : String(error), ms: Date.now() - started }, 'handoff summary: model failed, extractive used');
    return extractive;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function tidy(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_SUMMARY_LENGTH) return flat;
  const cut = flat.slice(0, MAX_SUMMARY_LENGTH - 1);
  const end = cut.lastIndexOf('. ');
  return end > MAX_SUMMARY_LENGTH / 2 ? cut.slice(0, end + 1) : `${cut}…`;
}

/** A few sentences for the agent, taken from what was said (no model): what they asked first, last, and why. */
export function extractiveSummary(lines: readonly TranscriptLine[], reason: string, vars: ConversationState['vars']): string {
  const asked = lines.filter((line) => line.from === 'customer' && line.payload === undefined && line.text.trim().length > 0);
  const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}…` : text);
  const parts: string[] = [];
  if (asked[0]) parts.push(`First asked: "${clip(asked[0].text)}".`);
  if (asked.length > 1) parts.push(`Last wrote: "${clip(asked.at(-1)!.text)}".`);
  if (asked.length === 0) parts.push('The customer only pressed buttons.');
  const known = Object.entries(vars).filter(([name, value]) => value !== null && value !== '' && !name.startsWith('_'));
  if (known.length > 0) parts.push(`Known: ${known.slice(0, 8).map(([name, value]) => `${name} = ${String(value)}`).join(', ')}.`);
  parts.push(`Handed over because: ${reason}.`);
  return parts.join(' ');
}
