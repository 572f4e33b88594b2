/**
 * `parley route [--flows DIR] [--kb DIR] [--json] [--locale en] [--no-intents]`: what the understanding step decides
 * for each customer message on standard input, one per line (plain text, or a JSON line `{"text", "locale"}`),
 * decided as the first message of a new conversation (no greeting before it). One JSON line out per line in, in
 * order. `kind` is the flow, article or decline; `intent` names Parley's own request (STOP, "delete my data", asking
 * for a person) when one takes the message before the flows (`--no-intents` leaves them out of the ranking). Needs
 * no database, Redis or network: the flows and the knowledge base are read from their directories.
 */
import { createInterface } from 'node:readline';
import { BUILT_IN_INTENTS } from '../built-in-intents.ts';
import { loadConfig } from '../config.ts';
import { loadFlows } from '../engine/load-flows.ts';
import { loadKnowledge } from '../kb/load.ts';
import { flowsDirectory, knowledgeDirectory } from './directories.ts';
import { Understander } from '../understanding/understander.ts';
import { availableParallelism } from 'node:os';
import { encoderOption, keptVectorsFile } from '../understanding/meaning/sentence-encoder.ts';
import type { Understood } from '../core/understanding.ts';
import { parseCliArgs } from './parse-cli-args.ts';

/** Messages read before they are decided together (one encoder call for all of them). */
const ROUTE_BATCH = 64;

export interface RouteLine {
  kind: 'flow' | 'knowledge' | 'decline';
  flow: string | null;
  article: string | null;
  confidence: number;
  candidates: Array<{ kind: string; id: string; score: number }>;
  language: string | null;
  /** Parley's own request that its hook answers before any flow, or null. */
  intent: string | null;
}

export async function routeCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args,
    options: { flows: { type: 'string' }, kb: { type: 'string' }, json: { type: 'boolean' }, locale: { type: 'string' }, ranker: { type: 'string' }, 'no-intents': { type: 'boolean' } },
    allowPositionals: false,
  });
  const config = loadConfig();
  const flows = await loadFlows(await flowsDirectory(config, values.flows));
  const knowledge = await loadKnowledge(await knowledgeDirectory(config, values.kb), { defaultLocale: 'en' });
  const snapshot = { version: 'cli', articles: knowledge.articles };
  const ranker = values.ranker === 'lexical' || values.ranker === 'matcher' ? values.ranker : undefined;
  const { encoder } = encoderOption(config.understandingEncoder, { threads: availableParallelism() });
  // The vectors a server on the same data directory kept: the flows' and articles' texts are not encoded again.
  await encoder?.restore?.(keptVectorsFile(config.dataDir));
  const understander = new Understander({
    minConfidence: config.minConfidence, knowledge: () => snapshot, ...(ranker ? { ranker } : {}), ...(values['no-intents'] ? {} : { intents: BUILT_IN_INTENTS }),
    ...(encoder ? { encoder } : {}),
  });
  const decideBatch = async (batch: Message[], encoded: Promise<unknown>) => {
    await encoded;
    const out: string[] = [];
    for (const { text, locale } of batch) {
      const understood = text.trim() === '' ? undefined : await understander.understand(flows, text, { locale: locale ?? values.locale ?? 'en' });
      out.push(`${JSON.stringify(toLine(understood))}\n`);
    }
    if (out.length > 0) process.stdout.write(out.join(''));
  };
  // The encoder is much faster per message on a batch: a batch's messages are encoded together (on the encoder's
  // threads) while the batch before it is decided, in order, on this one.
  const encodeAhead = (batch: Message[]) => (encoder ? encoder.encode(batch.map((m) => m.text).filter((t) => t.trim() !== '')).catch(() => {}) : Promise.resolve());
  let deciding: Promise<void> | undefined;
  let batch: Message[] = [];
  for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    batch.push(parseLine(raw));
    if (batch.length < ROUTE_BATCH) continue;
    // Many messages: every text of the flows and articles is encoded first, on every thread at once (a few messages
    // encode only the texts of their candidates). Ahead of time only: a failure here is met again, and handled, where
    // a message needs the encoder.
    deciding ??= understander.prepare(flows, undefined, { batch: true }).catch(() => {});
    const full = batch;
    const encoded = encodeAhead(full);
    deciding = deciding.then(() => decideBatch(full, encoded));
    batch = [];
  }
  const last = batch;
  await (deciding ?? Promise.resolve()).then(() => decideBatch(last, encodeAhead(last)));
  return 0;
}

type Message = { text: string; locale?: string };

function parseLine(raw: string): Message {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { text?: unknown; locale?: unknown };
      if (typeof parsed.text === 'string') return { text: parsed.text, ...(typeof parsed.locale === 'string' ? { locale: parsed.locale } : {}) };
    } catch {
      // Not JSON after all: the line is the message.
    }
  }
  return { text: raw };
}

export function toLine(understood: Understood | undefined): RouteLine {
  if (!understood) return { kind: 'decline', flow: null, article: null, confidence: 0, candidates: [], language: null, intent: null };
  const { decision } = understood;
  return {
    kind: decision.kind,
    flow: decision.kind === 'flow' ? decision.flow : null,
    article: decision.kind === 'knowledge' ? decision.article : null,
    confidence: decision.confidence,
    candidates: understood.candidates.map(({ kind, id, score }) => ({ kind, id, score })),
    language: understood.language ?? null,
    intent: understood.intent?.name ?? null,
  };
}
