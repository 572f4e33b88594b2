export { Matcher } from './matcher.ts';
export { buildCached, keptBySource, loadBySource } from './matcher-cache.ts';
export { FEATURES, type Features } from './language-index.ts';
export { DEFAULT_MATCHER_OPTIONS, type MatcherOptions, type SynonymSource } from './options.ts';
export type { DocList, FieldKind, MatchDoc, MatchField, MatchScore } from './types.ts';
export { matcherConfidence, MATCHER_CONFIDENCE_MODEL, WEAK_MATCH } from './confidence.ts';
export { LayeredMatcher, MAX_LAYERED_SHARE, type Ranker } from './layered.ts';
