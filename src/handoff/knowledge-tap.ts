import type { KnowledgeAnswer, KnowledgePort, KnowledgeQuestionOptions } from '../core/knowledge-port.ts';
import type { KnowledgeRecord } from './context.ts';

/**
 * Wraps the knowledge base to remember what it returned for each question (articles and scores), which the
 * engine's effect result does not carry, so the handoff context can show it. Kept briefly, in the process that
 * ran the turn: the turn's hooks read it right after the engine.
 */
export class KnowledgeTap implements KnowledgePort {
  private readonly recent = new Map<string, { answer: KnowledgeAnswer; at: Date }>();

  constructor(private readonly inner: KnowledgePort, private readonly keep = 500) {}

  async answer(question: string, options?: KnowledgeQuestionOptions): Promise<KnowledgeAnswer> {
    const answer = await this.inner.answer(question, options);
    this.recent.delete(question);
    this.recent.set(question, { answer, at: new Date() });
    while (this.recent.size > this.keep) this.recent.delete(this.recent.keys().next().value!);
    return answer;
  }

  /**
   * True when the last answer to this question was a decline because the understanding step was not sure what was
   * asked: not a question the knowledge base understood and could not answer (so no `kb_declined`).
   */
  notUnderstood(question: string): boolean {
    return this.recent.get(question)?.answer.notUnderstood === true;
  }

  /** The last answer to this question, as a context record, or undefined when it was not asked lately. */
  record(question: string): KnowledgeRecord | undefined {
    const found = this.recent.get(question);
    if (!found) return undefined;
    const { answer, at } = found;
    return {
      question,
      at: at.toISOString(),
      confidence: answer.confidence,
      answer: answer.answer,
      results: answer.results.slice(0, 5).map((hit) => ({ id: hit.id, title: hit.title, score: hit.score })),
    };
  }
}
