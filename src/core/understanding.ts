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
  /** With the sentence encoder: how close its closest text is to the message by meaning (-1..1). */
  meaning?: number;
}

/** The outcome: start a flow, answer from an article, or say honestly that the bot is not sure. */
export type Decision =
  | { kind: 'flow'; flow: string; confidence: number }
  | {
      kind: 'knowledge';
      article: string;
      confidence: number;
      /** A flow the message also fits, offered as a button. */
      offerFlow?: string;
      /** The passage found by meaning (embeddings), when that is how the article was found. */
      passage?: string;
    }
  | {
      kind: 'decline';
      confidence: number;
      /**
       * The message only names what the first candidates are about ("Pulse Mini"), or names it and asks what its
       * article does not say ("does the Pulse Mini have a microphone"): they are offered however low the confidence,
       * since they are what there is about it.
       */
      namesSubject?: true;
    };

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
  /**
   * One of Parley's own requests (STOP, "delete my data", asking for a person, …), when it ranked first or its own
   * words recognised it: the hook that owns it acts on it before the engine. `decision` still holds the best flow or
   * article, for when no hook takes the request (a START with nothing to restore).
   */
  intent?: IntentMatch;
  /** Why the winner won, for `parley chat --debug` and the turn's debug log. */
  why: string;
  /**
   * The share of the message's words (function words and numbers aside) that no flow or article uses, typos and
   * compounds allowed for: high for a question about something the business does not speak of. Scaled down when the
   * flows and articles use few words altogether (under 500 distinct ones), which cannot tell what is missing.
   */
  unknown?: number;
}

export interface IntentMatch {
  name: string;
  confidence: number;
  /** Recognised by the intent's own words (exact), rather than ranked among the candidates. */
  exact: boolean;
}

/**
 * A request Parley itself answers, whichever flows are loaded: a part (src/customers, src/privacy, src/handoff)
 * contributes it to the understanding step and acts on it in its turn hook.
 */
export interface BuiltInIntent {
  /** `consent-stop`, `data-erase`, `person`, … */
  name: string;
  /** What customers write meaning it, in each language, ranked with the flows and articles. Absent: exact words only. */
  examples?: Readonly<Record<'en' | 'de', readonly string[]>>;
  /** The part's own exact reading of a message: true when it certainly means this request. */
  recognize(text: string): boolean;
}

/**
 * Does this message ask for the intent? As the understanding step decided; when it found none of Parley's requests
 * (or there is no understanding step), by the intent's own words, which always work. Buttons never do: their
 * payloads are handled exactly.
 */
export function asksFor(input: { text?: string; payload?: string; understood?: Understood }, intent: BuiltInIntent): boolean {
  if (input.payload !== undefined || !input.text?.trim()) return false;
  const decided = input.understood?.intent;
  return decided ? decided.name === intent.name : intent.recognize(input.text);
}

/** Articles closest in meaning to a question in any language (embeddings, with OpenAI configured), best first. */
export interface SimilarArticles {
  hits: Array<{ article: string; passage: string; locale: string; similarity: number }>;
  /** 0..1: how likely the first is the article that answers. */
  confidence: number;
}
