/**
 * The understanding step: one ranked decision per free-text message. Every flow and every knowledge article is a
 * candidate in one index (candidate-docs.ts); the message is ranked in the language it is written in (or the
 * conversation's), and the calibrated confidence that the first candidate is right decides:
 * - the message is essentially one of a flow's keywords ("menu", "agent"): that flow, whatever else matches;
 * - the first candidate is confident enough: its flow, or an answer from its article;
 * - otherwise: an honest decline, which offers the closest candidates.
 * With a `chooser` (the chat model, model-choice.ts) the model may then choose among the first candidates; a
 * choice it is confident enough in becomes the decision, and anything else leaves the offline decision as it was.
 * The index is rebuilt when the flows or the knowledge base change (it is built in well under a second).
 */
import type { Understood, ScoredCandidate, Decision } from '../core/understanding.ts';
import type { FlowSet } from '../engine/model.ts';
import { Retriever, type RetrievedHit } from '../kb/retriever.ts';
import { language as languageOf } from '../kb/text.ts';
import type { Article } from '../kb/types.ts';
import { articlesForEveryLanguage, flowArticles, flowOfDoc, LANGUAGES, rankableFlows } from './candidate-docs.ts';
import { essentialKeyword } from './keywords.ts';
import { candidateId, type ModelChooser } from './model-choice.ts';
import { buildVocabulary, detectLanguage, type LanguageVocabulary } from './language.ts';

/** The knowledge the step ranks, with a version that changes whenever the articles do. */
export interface KnowledgeSnapshot {
  version: string;
  articles: readonly Article[];
}

export interface UnderstanderOptions {
  /** Lowest confidence at which a candidate wins (UNDERSTANDING_MIN_CONFIDENCE). */
  minConfidence: number;
  /** The knowledge base's articles now; absent: flows only. */
  knowledge?: () => KnowledgeSnapshot;
  /** The language used when neither the message nor the conversation tells (`en`). */
  defaultLocale?: string;
  /**
   * The chat model's choice among the candidates (UNDERSTANDING_MODEL, with OpenAI configured); absent: offline
   * only. Never asked when the message is essentially a keyword, nor when `understand` is told not to.
   */
  chooser?: ModelChooser;
}

export interface UnderstandOptions {
  /** The conversation's language, used when the message's own words do not tell. */
  locale?: string;
  /** false: decide offline only (the message answers a waiting question or picks a button: see mayAskModel). */
  model?: boolean;
}

/** Candidates kept with a decision: offered on a decline, shown by `--debug`. */
const CANDIDATES_KEPT = 5;

/** Candidates the model may choose among (the first ones). */
const MODEL_CANDIDATES = 5;

interface Index {
  key: string;
  retriever: Retriever;
  flows: FlowSet;
  titles: Map<string, string>;
  vocabulary: LanguageVocabulary;
}

export class Understander {
  private index: Index | undefined;

  constructor(private readonly options: UnderstanderOptions) {}

  get minConfidence(): number {
    return this.options.minConfidence;
  }

  async understand(flows: FlowSet, text: string, options: UnderstandOptions = {}): Promise<Understood> {
    const index = this.indexFor(flows);
    const detected = detectLanguage(text, index.vocabulary);
    const lang = detected ?? languageOf(options.locale ?? this.options.defaultLocale ?? 'en');
    const withLanguage = (u: Omit<Understood, 'language'>): Understood => (detected ? { ...u, language: detected } : u);

    const keyword = essentialKeyword(rankableFlows(flows), text);
    const retrieval = await index.retriever.search(text, { locale: lang, limit: CANDIDATES_KEPT });
    const candidates = toCandidates(retrieval.hits, index.titles, lang);
    if (keyword) {
      const decision: Decision = { kind: 'flow', flow: keyword, confidence: 1 };
      return withLanguage({ decision, candidates, why: `the message is the flow's keyword: ${keyword}` });
    }
    const offline = withLanguage(this.decide(candidates, retrieval.confidence));
    const chooser = options.model === false ? undefined : this.options.chooser;
    return chooser && candidates.length > 0 ? this.withModel(chooser, offline, { text, language: lang, candidates, flows }) : offline;
  }

  private decide(candidates: ScoredCandidate[], confidence: number): Omit<Understood, 'language'> {
    const top = candidates[0];
    if (!top || !(confidence >= this.options.minConfidence)) {
      return {
        decision: { kind: 'decline', confidence },
        candidates,
        why: top ? `closest ${top.kind} ${top.id} at confidence ${confidence} < ${this.options.minConfidence}` : 'nothing matched',
      };
    }
    return { decision: decisionFor(top, confidence, candidates), candidates, why: `${top.kind} ${top.id} first at confidence ${confidence} >= ${this.options.minConfidence}` };
  }

  /** The model's choice, when it is confident enough, becomes the decision; otherwise the offline one stands. */
  private async withModel(chooser: ModelChooser, offline: Understood, request: Parameters<ModelChooser>[0]): Promise<Understood> {
    const choice = await chooser({ ...request, candidates: request.candidates.slice(0, MODEL_CANDIDATES) }).catch(() => null);
    if (!choice) return { ...offline, why: `${offline.why}; the model made no choice` };
    const chosen = request.candidates.find((c) => candidateId(c) === candidateId(choice));
    if (!chosen || !(choice.confidence >= this.options.minConfidence)) {
      return { ...offline, why: `${offline.why}; the model chose ${choice.kind} ${choice.id} at ${choice.confidence} < ${this.options.minConfidence}` };
    }
    const confidence = Math.max(offline.decision.confidence, choice.confidence);
    const rest = offline.candidates.filter((c) => c !== chosen);
    return { ...offline, decision: decisionFor(chosen, confidence, [chosen, ...rest]), why: `the model chose ${chosen.kind} ${chosen.id} at ${choice.confidence} (offline: ${offline.why})` };
  }

  private indexFor(flows: FlowSet): Index {
    const knowledge = this.options.knowledge?.() ?? { version: '', articles: [] };
    const key = `${flows.version}\u0000${knowledge.version}`;
    if (this.index?.key === key) return this.index;
    const articles = [...flowArticles(flows), ...articlesForEveryLanguage(knowledge.articles)];
    const titles = new Map<string, string>();
    for (const article of articles) titles.set(`${article.id}\u0000${languageOf(article.locale)}`, article.title);
    const vocabulary = buildVocabulary(knowledge.articles.flatMap((a) => a.passages.map((p) => ({ language: languageOf(a.locale), text: `${p.title} ${p.text}` }))));
    const retriever = Retriever.build(articles, { defaultLocale: LANGUAGES[0] });
    this.index = { key, retriever, flows, titles, vocabulary };
    return this.index;
  }
}

function toCandidates(hits: readonly RetrievedHit[], titles: ReadonlyMap<string, string>, lang: string): ScoredCandidate[] {
  const best = hits[0]?.score ?? 0;
  return hits
    .filter((hit) => hit.score > 0)
    .map((hit) => {
      const flow = flowOfDoc(hit.articleId);
      const id = flow ?? hit.articleId;
      const title = titles.get(`${hit.articleId}\u0000${lang}`) ?? hit.title;
      return { kind: flow ? ('flow' as const) : ('knowledge' as const), id, score: best > 0 ? round3(hit.score / best) : 0, title };
    });
}

function decisionFor(top: ScoredCandidate, confidence: number, candidates: readonly ScoredCandidate[]): Decision {
  return top.kind === 'flow'
    ? { kind: 'flow', flow: top.id, confidence }
    : { kind: 'knowledge', article: top.id, confidence, ...offeredFlow(candidates) };
}

/** A flow close behind an answering article is offered beside the answer (a question about delivery times, and the order-status flow). */
function offeredFlow(candidates: readonly ScoredCandidate[]): { offerFlow?: string } {
  const flow = candidates.slice(1, 3).find((c) => c.kind === 'flow' && c.score >= 0.6);
  return flow ? { offerFlow: flow.id } : {};
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
