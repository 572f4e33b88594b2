/**
 * What a customer's free-text message asks for, decided once per message by the understanding step
 * (src/understanding) before the engine runs, and handed to the engine in the turn's input. Buttons and payloads
 * never get here: they are exact.
 */

/** What can answer a message: a flow, a knowledge base article, or one of Parley's own commands. */
export type CandidateKind = 'flow' | 'knowledge';

/** One candidate with its score on the one scale every kind shares (0..1, higher is closer). */
export interface ScoredCandidate {
  kind: CandidateKind;
  /** Flow name, or article id. */
  id: string;
  score: number;
  /** What a button offering it says, in the customer's language. */
  title: string;
}

/** The outcome: start a flow, answer from an article, or say honestly that the bot is not sure. */
export type Decision =
  | { kind: 'flow'; flow: string; confidence: number }
  | { kind: 'knowledge'; article: string; confidence: number; /** A flow the message also fits, offered as a button. */ offerFlow?: string }
  | { kind: 'decline'; confidence: number };

export interface Understood {
  decision: Decision;
  /** The closest candidates, best first (a few): offered as buttons on a decline, shown by `--debug`. */
  candidates: ScoredCandidate[];
  /** The language the message is written in, when the words make it clear (`en`, `de`); absent for "ok" or "BW-12345". */
  language?: string;
  /** A second question in the same message, confidently understood: offered as a button beside the first's answer. */
  second?: { candidate: ScoredCandidate; question: string };
  /** The question as understood, when it differs from the message: a follow-up read with the previous question. */
  query?: string;
  /** Why the winner won, for `parley chat --debug` and the turn's debug log. */
  why: string;
}
