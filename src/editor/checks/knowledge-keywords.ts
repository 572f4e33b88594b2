/**
 * A flow keyword that many knowledge articles use in what they are about (title, example questions, section
 * headings) competes with those articles for the customers' questions: "is the store open on Sunday" mentions the
 * contact flow's "store" and "open", and an article answers it. Such a keyword is a warning, naming how many
 * articles use it and which, so the editor can drop it or make it a phrase. Words are compared with the knowledge
 * base's stemmer for their language, so "opening" counts for "open"; stop words are kept, so that "where is my
 * order" is a phrase and not just "order".
 */
import { analyzerFor, language, tokenize } from '../../search/text.ts';
import type { Article } from '../../kb/types.ts';
import type { Check, Finding } from './finding.ts';

/** A keyword is common in the knowledge base from this many articles on (translations of one article count once). */
export const COMMON_IN_KNOWLEDGE = 3;

/** Article ids named in a warning; the rest are counted. */
const NAMED = 5;

/** What the knowledge base's articles are about, as far as the flows' keywords go: indexed once per `flows check` run. */
export interface KnowledgeTerms {
  /**
   * Ids of the articles whose title, questions or headings contain the keyword (as a phrase), in any language; the
   * keyword is one of those the index was made for.
   */
  articlesUsing(keyword: string): string[];
}

interface LanguageIndex {
  /** The keywords' terms in this language: only these are indexed. */
  wanted: Set<string>;
  /** Each word's term (stemming is most of the work; a large base repeats its words). */
  stems: Map<string, string>;
  /** term → ids of articles with it in one of their fields. */
  byTerm: Map<string, Set<string>>;
  /** article id → its fields that have a wanted term, as analyzed terms, each padded with spaces (for phrases). */
  fields: Map<string, string[]>;
}

/**
 * Indexes the articles' terms that occur in `keywords` (the flows' keywords): at 100,000 passages, indexing every term
 * took more than a second of a publish's check, for the few dozen terms the keywords have.
 */
export function indexKnowledgeTerms(articles: readonly Article[], keywords: readonly string[]): KnowledgeTerms {
  const languages = new Map<string, LanguageIndex>();
  const indexOf = (lang: string): LanguageIndex => {
    let index = languages.get(lang);
    if (!index) languages.set(lang, (index = { wanted: new Set(keywords.flatMap((k) => termsOf(k, lang))), stems: new Map(), byTerm: new Map(), fields: new Map() }));
    return index;
  };
  for (const article of articles) {
    const lang = language(article.locale);
    const index = indexOf(lang);
    if (index.wanted.size === 0) continue;
    const texts = [article.title, ...article.questions, ...article.passages.flatMap((p) => [p.title, ...(p.heading ? [p.heading] : []), ...p.questions])];
    const fields = index.fields.get(article.id) ?? [];
    for (const text of new Set(texts)) {
      const terms = termsOf(text, lang, index.stems);
      if (!terms.some((term) => index.wanted.has(term))) continue;
      fields.push(` ${terms.join(' ')} `);
      for (const term of terms) {
        if (!index.wanted.has(term)) continue;
        let ids = index.byTerm.get(term);
        if (!ids) index.byTerm.set(term, (ids = new Set()));
        ids.add(article.id);
      }
    }
    if (fields.length > 0) index.fields.set(article.id, fields);
  }
  return {
    articlesUsing(keyword) {
      const found = new Set<string>();
      for (const [lang, index] of languages) {
        const terms = termsOf(keyword, lang);
        if (terms.length === 0) continue;
        const phrase = ` ${terms.join(' ')} `;
        // The rarest term's articles, then only those that have the whole phrase.
        const sets = terms.map((term) => index.byTerm.get(term));
        if (sets.some((set) => set === undefined)) continue;
        const rarest = (sets as Set<string>[]).reduce((a, b) => (a.size <= b.size ? a : b));
        for (const id of rarest) if (index.fields.get(id)!.some((field) => field.includes(phrase))) found.add(id);
      }
      return [...found].sort();
    },
  };
}

/** Stemmed words, stop words kept as they are; `stems` remembers each word's term. */
function termsOf(text: string, lang: string, stems?: Map<string, string>): string[] {
  const analyzer = analyzerFor(lang);
  return tokenize(text).map((token) => {
    let term = stems?.get(token);
    if (term === undefined) {
      term = analyzer.term(token) ?? token;
      stems?.set(token, term);
    }
    return term;
  });
}

export const checkKnowledgeKeywords: Check = (ctx) => {
  const knowledge = ctx.knowledge;
  if (!knowledge) return [];
  const findings: Finding[] = [];
  for (const flow of ctx.graph.flows.values()) {
    flow.triggers.keywords.forEach((keyword, index) => {
      const ids = knowledge.articlesUsing(keyword);
      if (ids.length < COMMON_IN_KNOWLEDGE) return;
      const named = ids.slice(0, NAMED).join(', ') + (ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '');
      findings.push({
        severity: 'warning', flow: flow.name, place: { at: ['triggers', 'keywords', index] },
        message: `keyword "${keyword}" is used by ${ids.length} knowledge articles: ${named}; questions with it may start flow '${flow.name}' instead of being answered (make it a phrase, or leave it to the flow's examples)`,
      });
    });
  }
  return findings;
};
