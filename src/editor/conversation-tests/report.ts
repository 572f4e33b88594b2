import type { FileOutcome } from './run-tests.ts';

export interface Tally {
  passed: number;
  failed: number;
}

/** Each broken file counts as one failure: its tests could not run. */
export function tally(outcomes: readonly FileOutcome[]): Tally {
  let passed = 0;
  let failed = 0;
  for (const outcome of outcomes) {
    if (outcome.problems.length > 0) failed += 1;
    for (const test of outcome.tests) test.failure ? (failed += 1) : (passed += 1);
  }
  return { passed, failed };
}

/**
 * The report, file by file:
 *
 *   flows/order-status.test.yaml  Order status
 *     ✓ asks for the order number and the email
 *     ✗ hands over after three unreadable numbers
 *       flows/order-status.test.yaml:31:11  turn 4, user: "the blue one"
 *         bot: expected 1 reply, got 1 reply
 *            1 - expected "Sorry, …"
 *              + actual   "Sorry, I still …"
 *
 *   11 passed, 1 failed
 */
export function formatReport(outcomes: readonly FileOutcome[]): string {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    lines.push(`${outcome.file}${outcome.name ? `  ${outcome.name}` : ''}`);
    if (outcome.problems.length > 0) {
      lines.push(`  ✗ ${outcome.problemsIn === 'flows' ? 'the flows it tests do not load' : 'the test file has mistakes'}:`);
      for (const p of outcome.problems) lines.push(`      ${p.file}:${p.line}:${p.col}  ${p.message}`);
    }
    for (const test of outcome.tests) {
      if (!test.failure) {
        lines.push(`  ✓ ${test.name}`);
        continue;
      }
      const f = test.failure;
      lines.push(`  ✗ ${test.name}`, `      ${outcome.file}:${f.line}:${f.col}  turn ${f.turn}, ${f.action}`);
      for (const difference of f.differences) lines.push(`        ${difference}`);
    }
    lines.push('');
  }
  const { passed, failed } = tally(outcomes);
  lines.push(`${passed} passed, ${failed} failed`);
  return lines.join('\n');
}
