/** The flow engine: load flow files, then run conversation turns as pure functions of (flows, state, input). */
export type {
  ConversationState, EffectContext, EffectRequest, EffectResult, EffectRunner, EngineAction, TurnInput, TurnResult, VarValue,
} from './types.ts';
export type { Flow, FlowButton, FlowIssue, FlowSet, LocalText, LocatedText, Step, Target, Triggers, Validator } from './model.ts';
export { loadFlows, isFlowFile } from './load-flows.ts';
export { buildFlowSet, flowSetVersion, type FlowSource } from './flow-set.ts';
export { checkFlowFile, parseFlowFile, formatFlowIssues, type FileCheck } from './parse-flow-file.ts';
export { runTurn, initialState, MAX_STEPS_PER_TURN, PERSON_BUTTON_REASON } from './runner.ts';
export { runWithEffects, MAX_EFFECTS_PER_TURN, type TurnRunner } from './run-with-effects.ts';
export { BUILT_IN, BUILT_IN_TEXTS, BUILT_IN_PAYLOADS } from './messages.ts';
export { localize, normalizeLocale, DEFAULT_LOCALE } from './localize.ts';
export { missingTranslations, flowSetLocales, type MissingTranslation } from './translations.ts';
export { CALL_ERROR_VAR, DEFAULT_CALL_TIMEOUT_MS, MAX_CALL_TIMEOUT_MS } from './steps/call.ts';
export { DEFAULT_MIN_CONFIDENCE } from './steps/answer.ts';
export { FlowFileSchema } from './schema.ts';
export { parseCondition, evaluateCondition, type Condition } from './condition.ts';
