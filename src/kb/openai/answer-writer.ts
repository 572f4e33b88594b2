/** Asks the chat model for a short answer written only from the retrieved passages, and checks what comes back. */
import type OpenAI from 'openai';
import type { Logger } from '../../infra/logger.ts';
import { buildMessages, type PromptPassage } from './prompt.ts';
import { readReply, type ReadReply } from './reply.ts';

export class AnswerWriter {
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    private readonly logger?: Logger,
  ) {}

  async write(question: string, passages: readonly PromptPassage[], options: { maxLength: number; locale: string }): Promise<ReadReply> {
    const completion = await this.client.chat.completions.create({
      model: this.model,
      temperature: 0,
      max_tokens: Math.min(1024, Math.ceil(options.maxLength / 2) + 64),
      messages: buildMessages(question, passages, options.maxLength),
    });
    const reply = completion.choices[0]?.message?.content ?? '';
    const result = readReply(reply, question, passages, options.locale);
    // Only the outcome is logged: the question and the reply may hold what a customer wrote.
    if (!result.ok && result.reason !== 'not-sure') this.logger?.warn({ reason: result.reason, model: this.model }, 'kb: model reply rejected');
    return result;
  }
}
