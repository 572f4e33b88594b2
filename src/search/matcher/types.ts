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

export interface MatchScore {
  id: string;
  /** 0..1, comparable across queries and across kinds of document: higher is a closer match. */
  score: number;
  /** 0..1: the IDF-weighted share of the query's words (typos corrected) the document contains; 0: only spellings alike. */
  coverage: number;
}
