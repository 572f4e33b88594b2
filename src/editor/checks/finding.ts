import type { FlowGraph } from '../flow-graph.ts';
import type { Place } from '../locate.ts';
import type { KnowledgeTerms } from './knowledge-keywords.ts';

export type Severity = 'error' | 'warning';

/** What one check found, about a flow (and a place in it); `flows check` turns the place into file:line:col. */
export interface Finding {
  severity: Severity;
  message: string;
  flow: string;
  place: Place;
}

export interface CheckContext {
  graph: FlowGraph;
  /** Variables some step sets: an ask's `var`, a `set` key (also read from files that did not compile). */
  varsSetAnywhere: ReadonlySet<string>;
  /** Where a place is, for messages that mention another place ("also a keyword of flow 'a' (flows/a.yaml:4)"). */
  locate(flow: string, place: Place): { file: string; line: number; col: number };
  /** The knowledge base's titles, questions and headings, when there is one to check keywords against. */
  knowledge?: KnowledgeTerms;
}

/** One check over all the flows. */
export type Check = (ctx: CheckContext) => Finding[];
