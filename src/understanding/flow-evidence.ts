/**
 * Evidence for a flow that the lexical ranking under-weighs, because a flow's documents are a few short lines:
 * - the message says nearly what one of the flow's examples says (most of their content words in common);
 * - the message carries a value one of the flow's questions asks for (an order number for the order-status flow):
 *   "status of BW-12345", "has bw 23456 shipped yet". Values are tried as written and in the `AB-123` form.
 */
import type { Flow } from '../engine/model.ts';
import { analyzerFor, tokenize } from '../search/text.ts';
import { detectLanguage } from './language.ts';

/** Dice overlap of content words from which a message says what an example says. */
export const NEAR_EXAMPLE = 0.75;

/** The best Dice overlap of the message's content words with one of the flow's examples in its language. */
export function exampleOverlap(flow: Flow, text: string, lang: string): number {
  const said = new Set(analyzerFor(lang).terms(text));
  if (said.size === 0) return 0;
  let best = 0;
  for (const wanted of exampleTerms(flow, lang)) {
    let shared = 0;
    for (const term of wanted) if (said.has(term)) shared += 1;
    best = Math.max(best, (2 * shared) / (wanted.size + said.size));
  }
  return best;
}

/** Flows are immutable once loaded: what is derived from them is computed once per flow. */
const termsCache = new WeakMap<Flow, Map<string, Array<Set<string>>>>();
const patternsCache = new WeakMap<Flow, RegExp[]>();

/** The content words of each of the flow's examples written in `lang` (or in no telling language). */
function exampleTerms(flow: Flow, lang: string): Array<Set<string>> {
  let byLang = termsCache.get(flow);
  if (!byLang) termsCache.set(flow, (byLang = new Map()));
  let sets = byLang.get(lang);
  if (!sets) {
    const analyzer = analyzerFor(lang);
    sets = flow.triggers.examples
      .filter((example) => { const l = detectLanguage(example); return l === undefined || l === lang; })
      .map((example) => new Set(analyzer.terms(example)))
      .filter((set) => set.size > 0);
    byLang.set(lang, sets);
  }
  return sets;
}

/** The patterns of a flow's `pattern` and `code` questions, unanchored, to find such a value inside a message. */
function valuePatterns(flow: Flow): RegExp[] {
  const cached = patternsCache.get(flow);
  if (cached) return cached;
  const found: RegExp[] = [];
  patternsCache.set(flow, found);
  for (const step of flow.steps.values()) {
    if (step.kind !== 'ask') continue;
    const validate = step.validate as { type: string; pattern?: string; prefix?: string; digits?: number };
    const source = validate.type === 'pattern' && validate.pattern ? validate.pattern.replace(/^\^/, '').replace(/\$$/, '')
      : validate.type === 'code' && validate.prefix ? `${escapeRegExp(validate.prefix)}[\\s-]?\\d{${validate.digits ?? 1},}` : undefined;
    if (source === undefined) continue;
    try {
      found.push(new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'iu'));
    } catch {
      // A pattern the flow check already reports; nothing to find with it.
    }
  }
  return found;
}

/** True when the message carries a value one of the flow's questions asks for. */
export function carriesValue(flow: Flow, text: string): boolean {
  const patterns = valuePatterns(flow);
  if (patterns.length === 0) return false;
  const joined = text.replace(/\b([A-Za-z]{1,4})[\s-]?(\d{3,})\b/g, '$1-$2');
  return patterns.some((p) => p.test(text) || p.test(joined) || p.test(joined.toUpperCase()));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A keyword phrase of several words found as written ("real person", "where is my order"), or a one-word keyword
 * in a message of at most two content words whose other word the flow itself uses ("my speaker is broken", "where is
 * my parcel?"): evidence, weighed with the ranking. A one-word keyword beside a word the flow never uses may be meant
 * in another sense ("sucht ihr Mitarbeiter", are you hiring, is not asking for a person).
 */
export function keywordEvidence(flow: Flow, text: string, lang: string): boolean {
  const words = tokenize(text);
  const joined = ` ${words.join(' ')} `;
  const analyzer = analyzerFor(lang);
  const content = analyzer.terms(text);
  for (const keyword of flow.triggers.keywords) {
    const phrase = tokenize(keyword);
    if (phrase.length === 0) continue;
    if (phrase.length >= 2 && joined.includes(` ${phrase.join(' ')} `)) return true;
    if (phrase.length === 1 && content.length <= 2 && words.includes(phrase[0]!)) {
      const own = new Set(analyzer.terms(phrase[0]!));
      if (content.every((term) => own.has(term) || flowTerms(flow, lang).has(term))) return true;
    }
  }
  return false;
}

const flowTermsCache = new WeakMap<Flow, Map<string, Set<string>>>();

/** Every content word of the flow's title, description, keywords and examples, as `lang` analyses them. */
function flowTerms(flow: Flow, lang: string): Set<string> {
  let byLang = flowTermsCache.get(flow);
  if (!byLang) flowTermsCache.set(flow, (byLang = new Map()));
  let terms = byLang.get(lang);
  if (!terms) {
    const analyzer = analyzerFor(lang);
    const titles = typeof flow.title === 'string' ? [flow.title] : Object.values(flow.title ?? {});
    const texts = [flow.description ?? '', ...titles, ...flow.triggers.keywords, ...flow.triggers.examples];
    byLang.set(lang, (terms = new Set(texts.flatMap((text) => analyzer.terms(text)))));
  }
  return terms;
}
