/**
 * The candidates of the one ranked decision, as documents of one index: every flow that free text may start (its
 * keywords, examples and description) and every knowledge article, in each language the customer may write in.
 * A flow is indexed like an article whose example questions are its examples and keywords, so that flows and
 * articles are scored, and their confidence calibrated, on the same scale.
 */
import type { BuiltInIntent } from '../core/understanding.ts';
import type { Flow, FlowSet, LocalText } from '../engine/model.ts';
import type { MatchDoc } from '../search/matcher/index.ts';
import { language } from '../search/text.ts';
import type { Article, Passage } from '../kb/types.ts';
import { detectLanguage } from './language.ts';

/** Article ids of flows start with this, so that no article id can clash with a flow. */
export const FLOW_DOC_PREFIX = 'flow:';

/** Document ids of Parley's built-in intents start with this. */
export const INTENT_DOC_PREFIX = 'intent:';

/** The built-in intent's name for a document id, or undefined for a flow or an article. */
export function intentOfDoc(id: string): string | undefined {
  return id.startsWith(INTENT_DOC_PREFIX) ? id.slice(INTENT_DOC_PREFIX.length) : undefined;
}

/** The languages the understanding step ranks in. */
export const LANGUAGES = ['en', 'de'] as const;

export function flowDocId(name: string): string {
  return `${FLOW_DOC_PREFIX}${name}`;
}

/** The flow's name for a document id, or undefined for an article. */
export function flowOfDoc(id: string): string | undefined {
  return id.startsWith(FLOW_DOC_PREFIX) ? id.slice(FLOW_DOC_PREFIX.length) : undefined;
}

/** Flows that free text can start: not the fallback, and with something to match. */
export function rankableFlows(flows: FlowSet): Flow[] {
  return [...flows.flows.values()]
    .filter((flow) => flow.name !== flows.fallbackFlow && (flow.triggers.keywords.length > 0 || flow.triggers.examples.length > 0))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** A text in one language; a phrase whose words do not tell ("menu", "Wave 700") counts for every language. */
function inLanguage(text: string, lang: string): boolean {
  const detected = detectLanguage(text);
  return detected === undefined || detected === lang;
}

export function localText(text: LocalText | undefined, lang: string, fallback: string): string {
  if (text === undefined) return fallback;
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? fallback;
}

/**
 * One document per flow and language. Each example is a passage of its own, so that a message close to one
 * example is found even when the flow has many others (nearest neighbour, not an average of them); the keywords
 * and description make one more passage.
 */
export function flowArticles(flows: FlowSet): Article[] {
  const out: Article[] = [];
  for (const flow of rankableFlows(flows)) {
    for (const lang of LANGUAGES) {
      const id = flowDocId(flow.name);
      const title = localText(flow.title, lang, flow.name.replace(/[_-]+/g, ' '));
      const examples = flow.triggers.examples.filter((e) => inLanguage(e, lang));
      const keywords = flow.triggers.keywords.filter((k) => inLanguage(k, lang));
      if (examples.length === 0 && keywords.length === 0) continue;
      const passage = (n: number, text: string, questions: string[]): Passage => ({
        id: `${id}@${lang}#${n}`, articleId: id, title, heading: null, questions, tags: [], locale: lang, text, file: flow.file, line: 1,
      });
      const passages = [passage(0, flow.description ?? '', keywords), ...examples.map((example, i) => passage(i + 1, '', [example]))];
      out.push({ id, title, questions: [...examples, ...keywords], tags: [], locale: lang, file: flow.file, passages });
    }
  }
  return out;
}

/**
 * Articles for every language: each in its own, and an article missing in a language also in that language's
 * index (as written), so that its product names and any example questions in the other language still find it.
 */
export function articlesForEveryLanguage(articles: readonly Article[]): Article[] {
  const present = new Set(articles.map((a) => `${a.id}\u0000${language(a.locale)}`));
  const out: Article[] = [...articles];
  for (const article of articles) {
    for (const lang of LANGUAGES) {
      if (present.has(`${article.id}\u0000${lang}`)) continue;
      present.add(`${article.id}\u0000${lang}`);
      out.push(asWrittenIn(article, lang));
    }
  }
  return out;
}

/** Copies made, per article object: the same copy each time, so what is derived from it is computed once (layered.ts). */
const copies = new WeakMap<Article, Map<string, Article>>();

function asWrittenIn(article: Article, lang: string): Article {
  let byLang = copies.get(article);
  if (!byLang) copies.set(article, (byLang = new Map()));
  let copy = byLang.get(lang);
  if (!copy) {
    copy = { ...article, locale: lang, passages: article.passages.map((p) => ({ ...p, id: `${p.id}@as-${lang}`, locale: lang })) };
    byLang.set(lang, copy);
  }
  return copy;
}

/** One matcher document per built-in intent and language, its examples ranked like a flow's. */
export function intentMatchDocs(intents: readonly BuiltInIntent[]): MatchDoc[] {
  return intents.flatMap((intent) => LANGUAGES.flatMap((lang): MatchDoc[] => {
    const examples = intent.examples?.[lang] ?? [];
    return examples.length === 0 ? [] : [{ id: `${INTENT_DOC_PREFIX}${intent.name}`, locale: lang, fields: examples.map((text) => ({ kind: 'example' as const, text })) }];
  }));
}
