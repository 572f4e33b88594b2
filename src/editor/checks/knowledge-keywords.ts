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

/** What the knowledge base's articles are about, indexed once per `flows check` run. */
export interface KnowledgeTerms {
  /** Ids of the articles whose title, questions or headings contain the keyword (as a phrase), in any language. */
  articlesUsing(keyword: string): string[];
}

interface LanguageIndex {
  /** term → ids of articles with it in one of their fields. */
  byTerm: Map<string, Set<string>>;
  /** article id → its fields as analyzed terms, each padded with spaces (for phrases). */
  fields: Map<string, string[]>;
}

export function indexKnowledgeTerms(articles: readonly Article[]): KnowledgeTerms {
  const languages = new Map<string, LanguageIndex>();
  for (const article of articles) {
    const lang = language(article.locale);
    let index = languages.get(lang);
    if (!index) languages.set(lang, (index = { byTerm: new Map(), fields: new Map() }));
    const texts = [article.title, ...article.questions, ...article.passages.flatMap((p) => [p.title, ...(p.heading ? [p.heading] : []), ...p.questions])];
    const fields = index.fields.get(article.id) ?? [];
    for (const text of new Set(texts)) {
      const terms = termsOf(text, lang);
      if (terms.length === 0) continue;
      fields.push(` ${terms.join(' ')} `);
      for (const term of terms) {
        let ids = index.byTerm.get(term);
        if (!ids) index.byTerm.set(term, (ids = new Set()));
        ids.add(article.id);
      }
    }
    index.fields.set(article.id, fields);
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

/** Stemmed words, stop words kept as they are. */
function termsOf(text: string, lang: string): string[] {
  const analyzer = analyzerFor(lang);
  return tokenize(text).map((token) => analyzer.term(token) ?? token);
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
