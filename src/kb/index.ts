/**
 * The product knowledge base. `createKnowledgeBase` is the one way to make one; the app hands it to the engine as
 * its KnowledgePort, the CLI uses it for `parley kb …`.
 */
import path from 'node:path';
import { ParleyError } from '../core/errors.ts';
import type { Logger } from '../infra/logger.ts';
import { DEFAULT_MIN_CONFIDENCE } from './confidence.ts';
import { MemoryGapStore, type GapStore } from './gap-store.ts';
import { FileKnowledgeBase } from './knowledge-base.ts';
import { DEFAULT_LOCALE } from './load.ts';
import { AnswerWriter } from './openai/answer-writer.ts';
import { Embedder } from './openai/embedder.ts';
import { createOpenAiClient, type OpenAiSettings } from './openai/settings.ts';
import type { ProgressSink } from './progress.ts';
import type { KnowledgeBase } from './types.ts';

export type * from './types.ts';
export { DEFAULT_MIN_CONFIDENCE } from './confidence.ts';
export { DEFAULT_MAX_LENGTH } from './knowledge-base.ts';
export { loadKnowledge } from './load.ts';
export { groupGaps } from './gap-groups.ts';
export { redact as maskPrivate } from '../infra/redact.ts';
export { shorten } from './shorten.ts';
export { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL, type OpenAiSettings } from './openai/settings.ts';

export interface CreateKnowledgeBaseOptions {
  /** The knowledge directory (Markdown articles and JSON Lines FAQ files). */
  dir: string;
  /** Parley's data directory: embeddings are cached under `<dataDir>/kb/embeddings/`, the index under `<dataDir>/kb/index/`. */
  dataDir: string;
  /** Answers below this confidence are declined (and recorded as gaps). Default: DEFAULT_MIN_CONFIDENCE (0.5), the matcher's calibrated confidence as the understanding step uses it. */
  minConfidence?: number;
  /** With OpenAI (or a compatible server): hybrid retrieval and written answers. Without: the offline matcher and extractive answers. */
  openai?: OpenAiSettings;
  /** Where gaps are kept: the knowledge base's repository (table kb_gaps, `store.repository(gapRepository)`). Without it, gaps are kept in memory only. */
  gaps?: GapStore;
  logger?: Logger;
  /** Rebuild the index when a file in `dir` changes. Default: false. */
  watch?: boolean;
  /** Record declined questions as gaps. Default: true. */
  recordGaps?: boolean;
  /** Locale of articles that do not name one, and of questions asked without one. Default: en. */
  defaultLocale?: string;
  /**
   * The name the knowledge read from `dir` is kept under in `<dataDir>/kb/index/` when `dir` changes between runs (the
   * served release's folder, `DATA_DIR/releases/<id>/knowledge`), so that a start reads the kept articles and index of
   * the last one. Default: the folder's path.
   */
  keptAs?: string;
  /** Where the embedding progress bar goes. Default: stderr. */
  progress?: ProgressSink;
}

/** Loads the directory, builds the index (embedding new passages when OpenAI is configured) and returns the base. */
export async function createKnowledgeBase(options: CreateKnowledgeBaseOptions): Promise<KnowledgeBase> {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new ParleyError('CONFIG_INVALID', `minConfidence must be between 0 and 1, not ${minConfidence}`);
  const client = options.openai ? createOpenAiClient(options.openai) : null;
  const kb = new FileKnowledgeBase({
    dir: options.dir,
    minConfidence,
    defaultLocale: options.defaultLocale ?? DEFAULT_LOCALE,
    gapStore: options.gaps ?? new MemoryGapStore(),
    recordGaps: options.recordGaps ?? true,
    embedder:
      client && options.openai
        ? new Embedder({
            client,
            model: options.openai.embeddingModel,
            ...(options.openai.embeddingDimensions ? { dimensions: options.openai.embeddingDimensions } : {}),
            dataDir: options.dataDir,
            logger: options.logger,
            progressSink: options.progress,
          })
        : undefined,
    writer: client && options.openai ? new AnswerWriter(client, options.openai.chatModel, options.logger) : undefined,
    logger: options.logger,
    watch: options.watch ?? false,
    indexDir: path.join(options.dataDir, 'kb', 'index'),
    ...(options.keptAs ? { keptAs: options.keptAs } : {}),
  });
  return kb.start();
}
