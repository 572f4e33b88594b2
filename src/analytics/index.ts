/**
 * Voice of the customer and operations (docs/report.md): per-turn analytics, the conversation rating, the report,
 * and the Prometheus metrics. The parts the app lists are in part.ts (ratingsPart, analyticsPart).
 */
export { buildReport, type Report } from './report.ts';
export { runTurnTraced } from './flow-trace.ts';
export { parseDuration, parseSince } from './since.ts';
export { AppMetrics } from './metrics.ts';
export { analyticsPart, ratingsPart } from './part.ts';
