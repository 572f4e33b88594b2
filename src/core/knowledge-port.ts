/** One retrieved passage of the knowledge base. */
export interface KnowledgeHit {
  /** Stable id of the article (FAQ id, or the Markdown file's path without extension) — passages share it. */
  id: string;
  title: string;
  /** The retrieval score, comparable within one query only. */
  score: number;
  /** The passage text (a Markdown section or an FAQ answer). */
  passage: string;
}

/** What the knowledge base says to one question. */
export interface KnowledgeAnswer {
  question: string;
  /** Best first, one per article. */
  results: KnowledgeHit[];
  /** 0..1: how sure the knowledge base is that `results[0]` answers the question. */
  confidence: number;
  /** The answer to send, or null when the knowledge base declines (confidence under the threshold). */
  answer: string | null;
  /** Titles of the articles the answer used. */
  sources: string[];
}

/** How the core asks the knowledge base; the engine reaches it only through an `answer` effect. */
export interface KnowledgePort {
  answer(question: string, options?: { maxLength?: number; locale?: string }): Promise<KnowledgeAnswer>;
}
