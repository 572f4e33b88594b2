/** The flow engine: load flow files, then run conversation turns as pure functions of (flows, state, input). */
export type { ConversationState, EngineAction, TurnInput, TurnResult, VarValue } from './types.ts';
export type { Flow, FlowIssue, FlowSet, Step, Target, Triggers, Validator } from './model.ts';
export { loadFlows, isFlowFile } from './load-flows.ts';
export { buildFlowSet, flowSetVersion, type FlowSource } from './flow-set.ts';
export { checkFlowFile, parseFlowFile, formatFlowIssues, type FileCheck } from './parse-flow-file.ts';
export { runTurn, initialState, MAX_STEPS_PER_TURN } from './runner.ts';
export { BUILT_IN } from './messages.ts';
export { FlowFileSchema } from './schema.ts';
export { parseCondition, evaluateCondition, type Condition } from './condition.ts';
