/**
 * Routes the engine's effects to what performs them: `call` to the HTTP caller, `answer` to the knowledge base.
 * Never throws: a failure becomes a failed result, which the flow handles (on_error, on_unsure).
 */
import type { KnowledgePort } from '../core/knowledge-port.ts';
import { failedEffect } from '../engine/run-with-effects.ts';
import type { EffectRunner } from '../engine/types.ts';
import type { Logger } from '../infra/logger.ts';
import type { CallRequest, CallResult } from './http-call.ts';

export interface EffectRunnerOptions {
  call: (request: CallRequest) => Promise<CallResult>;
  /** Absent: no knowledge base, so every answer step is unsure. */
  knowledge?: KnowledgePort;
  logger: Logger;
}

export function createEffectRunner(options: EffectRunnerOptions): EffectRunner {
  return async (request, context) => {
    try {
      if (request.kind === 'call') return await options.call(request);
      if (!options.knowledge) return failedEffect(request, 'not_configured');
      const found = await options.knowledge.answer(request.question, {
        ...(context.locale ? { locale: context.locale } : {}),
        ...(request.understood ? { understood: request.understood } : {}),
      });
      return { kind: 'answer', confidence: found.confidence, answer: found.answer, sources: found.sources };
    } catch (error) {
      options.logger.warn({ conversationId: context.conversationId, effect: request.kind, err: error instanceof Error ? error.name : 'error' }, 'effect failed');
      return failedEffect(request, 'failed');
    }
  };
}
