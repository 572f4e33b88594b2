import OpenAI from 'openai';

/** How Parley reaches OpenAI or an OpenAI-compatible server. */
export interface OpenAiSettings {
  apiKey: string;
  /** e.g. http://localhost:11434/v1 for a local server; undefined for OpenAI. */
  baseURL?: string;
  /** Model that writes answers from passages. */
  chatModel: string;
  /** Model that embeds passages and questions. */
  embeddingModel: string;
  /** Dimensions asked of the embedding model (the API's `dimensions`); undefined: the model's own. */
  embeddingDimensions?: number;
}

export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

export function createOpenAiClient(settings: OpenAiSettings): OpenAI {
  return new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL, maxRetries: 2, timeout: 30_000 });
}
