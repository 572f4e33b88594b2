/** What the matcher ranks and what it answers. */

export type FieldKind = 'title' | 'question' | 'example' | 'keyword' | 'description' | 'heading' | 'text';

export interface MatchField {
  kind: FieldKind;
  text: string;
}

/** A candidate: a flow (examples, keywords, description) or a knowledge passage (title, questions, heading, text). */
export interface MatchDoc {
  id: string;
  /** The language its fields are written in (`en`, `de`, `en-GB`); a query meets only documents of its language. */
  locale: string;
  fields: MatchField[];
}

/**
 * Documents of one language, each made when asked for (an array is one): a build that asks for each once holds none of
 * them past its own turn (at 100,000 passages, all of them at once were ~30 MB of the build's peak heap, by their sizes).
 */
export interface DocList {
  readonly length: number;
  at(index: number): MatchDoc | undefined;
}

export interface MatchScore {
  id: string;
  /** 0..1, comparable across queries and across kinds of document: higher is a closer match. */
  score: number;
  /** 0..1: the IDF-weighted share of the query's words (typos corrected) the document contains; 0: only spellings alike. */
  coverage: number;
}
