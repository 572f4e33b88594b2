/**
 * `person_available` and `person_later`, for flows to test before a `handoff` step (docs/flows.md), so a flow does
 * not promise a colleague that nobody can be: `person_available` is true when a desk takes handoffs (a console agent
 * who works a queue, Slack's agent channel or Bot Framework) and, with OPENING_HOURS, the default queue is open now;
 * `person_later` when there is a desk but it is closed now (a handoff waits for the team, who are told when back).
 * Both false: nobody can take a handoff here (AGENTS with editors only), and a handoff would only say so.
 */
import type { VarValue } from '../engine/types.ts';
import type { OpeningHours } from './opening-hours.ts';

export const PERSON_AVAILABLE_VAR = 'person_available';
export const PERSON_LATER_VAR = 'person_later';

export interface PersonReach {
  /** Whether anyone takes handoffs at all. */
  desk: boolean;
  /** OPENING_HOURS; absent: a desk is always open. */
  hours?: OpeningHours;
  /** The queue whose hours count (HANDOFF_DEFAULT_QUEUE). */
  queue: string;
  now: () => Date;
}

export function personVars(reach: PersonReach): Record<string, VarValue> {
  const open = reach.desk && (reach.hours?.isOpen(reach.queue, reach.now()) ?? true);
  return { [PERSON_AVAILABLE_VAR]: open, [PERSON_LATER_VAR]: reach.desk && !open };
}
