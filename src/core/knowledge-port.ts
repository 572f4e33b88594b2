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
  /**
   * Declined because the understanding step was not sure what was asked (not because the knowledge base has no
   * answer to a question it understood): such a decline offers the closest candidates, and is not a `kb_declined`.
   */
  notUnderstood?: boolean;
}

/** How the core asks the knowledge base; the engine reaches it only through an `answer` effect. */
export interface KnowledgePort {
  answer(question: string, options?: KnowledgeQuestionOptions): Promise<KnowledgeAnswer>;
}

export interface KnowledgeQuestionOptions {
  maxLength?: number;
  locale?: string;
  /** The understanding step's decision on this question (see the `answer` effect): answer from this article, or decline. */
  understood?: { article: string | null; confidence: number; passage?: string };
}
