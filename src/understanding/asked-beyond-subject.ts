/**
 * Whether an article speaks to what a message asks, beyond naming the article's subject. "Is the Wave 700
 * waterproof?" ranks the Wave 700 article first on the product's name alone; when nothing else the customer asked
 * about ("waterproof") appears anywhere in the article, quoting it would answer a question they did not ask.
 */
import { closeEnough } from '../engine/fuzzy.ts';
import { analyzerFor } from '../search/text.ts';
import type { Article } from '../kb/types.ts';

/** An article's terms in one language: those of its title (its subject) and those of everything it says. */
export interface ArticleTerms {
  subject: ReadonlySet<string>;
  all: ReadonlySet<string>;
  /** The terms of each of its example questions. */
  questions: ReadonlyArray<ReadonlySet<string>>;
}

/** Per article object and language: an index over an editor's drafts keeps the release's article objects it did not change. */
const termsOf = new WeakMap<Article, Map<string, ArticleTerms>>();

export function articleTerms(article: Article, lang: string): ArticleTerms {
  let byLang = termsOf.get(article);
  if (!byLang) termsOf.set(article, (byLang = new Map()));
  let terms = byLang.get(lang);
  if (!terms) byLang.set(lang, (terms = termsIn(article, lang)));
  return terms;
}

function termsIn(article: Article, lang: string): ArticleTerms {
  const analyzer = analyzerFor(lang);
  const subject = new Set(analyzer.terms(article.title));
  const all = new Set(subject);
  const questions = [...new Set([...article.questions, ...article.passages.flatMap((p) => p.questions)])].map((q) => new Set(analyzer.terms(q)));
  for (const text of [...article.questions, ...article.tags]) for (const term of analyzer.terms(text)) all.add(term);
  for (const p of article.passages) {
    for (const text of [p.heading ?? '', p.text, ...p.questions, ...p.tags]) for (const term of analyzer.terms(text)) all.add(term);
  }
  return { subject, all, questions };
}

/** Whether the message (its index terms) contains one of the article's example questions whole (at least two terms of it). */
export function asksExampleQuestion(message: readonly string[], article: ArticleTerms): boolean {
  const asked = new Set(message);
  return article.questions.some((q) => q.size >= 2 && [...q].every((term) => asked.has(term)));
}

/**
 * The message's terms (`message`: its index terms) beyond the article's subject, when it asks about something and the
 * article mentions none of them (a typo of one of its words counts as mentioned); an empty list when the article
 * speaks to the question or the message only names the subject ("Wave 700"). With `known` (the words the whole base uses), only when one of
 * them is known: a question in words nothing in the base uses may be a paraphrase that the meaning model judges.
 */
export function unansweredWords(message: readonly string[], article: ArticleTerms, known?: ReadonlySet<string>): string[] {
  const asked = [...new Set(message)].filter((term) => !article.subject.has(term) && !/^\d+$/.test(term));
  if (asked.length === 0) return [];
  const mentioned = (term: string) => article.all.has(term) || [...article.all].some((word) => closeEnough(term, word));
  if (asked.some(mentioned)) return [];
  return !known || asked.some((term) => known.has(term)) ? asked : [];
}

/** Whether every word the message asks with (its index terms) is one of the article's subject ("Pulse Mini", "wave 700"). */
export function namesOnlySubject(message: readonly string[], article: ArticleTerms): boolean {
  return message.length > 0 && message.every((term) => article.subject.has(term));
}
