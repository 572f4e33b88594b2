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
import type { BuiltInIntent, Decision, IntentMatch, ScoredCandidate, SimilarArticles, Understood } from '../core/understanding.ts';
import type { Flow, FlowSet } from '../engine/model.ts';
import { LAST_QUESTION_VAR } from '../engine/messages.ts';
import type { ConversationState } from '../engine/types.ts';
import { carriesValue, exampleOverlap, keywordEvidence, NEAR_EXAMPLE } from './flow-evidence.ts';
import { Retriever, type RetrievedHit } from '../kb/retriever.ts';
import { buildCached, LayeredMatcher, Matcher, matcherConfidence, type MatchDoc, type Ranker } from '../search/matcher/index.ts';
import { passageFields } from '../kb/passage-fields.ts';
import { analyzerFor, language as languageOf, tokenize } from '../search/text.ts';
import type { Article, Passage } from '../kb/types.ts';
import { articlesForEveryLanguage, flowArticles, flowOfDoc, intentMatchDocs, intentOfDoc, LANGUAGES, rankableFlows } from './candidate-docs.ts';
import { isFollowUp, withPreviousQuestion } from './follow-up.ts';
import { redact } from '../infra/redact.ts';
import { articleTerms, asksExampleQuestion, namesOnlySubject, unansweredWords, type ArticleTerms } from './asked-beyond-subject.ts';
import { questionParts } from './two-questions.ts';
import { essentialKeyword } from './keywords.ts';
import { candidateId, type ModelChooser } from './model-choice.ts';
import { buildVocabulary, detectLanguage, type LanguageVocabulary } from './language.ts';
import { decisionKey } from './decision-key.ts';
import { RecentMap } from '../infra/recent-map.ts';
import type { SentenceEncoder } from './meaning/sentence-encoder.ts';
import { headingTopics, rerankByMeaning, sentencesOf } from './meaning/rerank.ts';
import { BEYOND_SUBJECT_MODEL, closenessBeyondSubject, textsBeyondSubject, withClosenessBeyondSubject } from './meaning/beyond-subject.ts';

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
   * Which offline ranker scores the candidates: the matcher (the default), or the knowledge base's lexical
   * retriever, kept for comparison (`parley route --ranker lexical`).
   */
  ranker?: 'lexical' | 'matcher';
  /**
   * The chat model's choice among the candidates (UNDERSTANDING_MODEL, with OpenAI configured); absent: offline
   * only. Never asked when the message is essentially a keyword, nor when `understand` is told not to.
   */
  chooser?: ModelChooser;
  /**
   * Parley's own requests (STOP, "delete my data", asking for a person, …), ranked with the flows and articles:
   * one that ranks first with enough confidence, or that its own words recognise, becomes `intent`.
   */
  intents?: readonly BuiltInIntent[];
  /**
   * The knowledge base's search by meaning (embeddings, with OpenAI configured), in every language: asked when the
   * offline ranking declines a message, so that a paraphrase, or a German question about an article written in
   * English only, is still answered. Not asked when `understand` is told to decide offline.
   */
  similar?: (text: string) => Promise<SimilarArticles | null>;
  /** Where the index is kept between runs (an unchanged set of flows and articles is loaded, not built). */
  indexDir?: string;
  /**
   * The offline sentence encoder (UNDERSTANDING_ENCODER): re-ranks the first candidates by meaning for messages in
   * its language (meaning/rerank.ts). Absent: words only.
   */
  encoder?: SentenceEncoder;
  /**
   * Where `prepare` keeps the vectors of the flows' and articles' texts between runs (under DATA_DIR): a restart
   * encodes only the texts that changed. Customers' messages are never written there.
   */
  vectorsFile?: string;
  /**
   * The flows and articles most of the ranked ones are (the studio preview's: the published release, under an editor's
   * drafts). Its index is built once (per change of it), and every other set is ranked by a layer over it of the
   * flows and articles that differ (src/search/matcher/layered.ts) instead of a whole new index. With a baseline,
   * only its index is kept in `indexDir`.
   */
  baseline?: () => { flows: FlowSet; knowledge: KnowledgeSnapshot } | undefined;
}

/** An option that changes the offline decision must be part of its key in the decisions kept (decision-key.ts). */
export interface UnderstandOptions {
  /** The conversation's language, used when the message's own words do not tell. */
  locale?: string;
  /** The customer's previous question, for a follow-up that leaves out its subject ("and the Pulse Mini?"). */
  previous?: string;
  /** false: decide offline only (the message answers a waiting question or picks a button: see mayAskModel). */
  model?: boolean;
}

/** Offline decisions kept per index (see Understander.offlineDecision): the most recently asked distinct messages. */
const DECISIONS_KEPT = 2_000;

/** Candidates kept with a decision: offered on a decline, shown by `--debug`. */
const CANDIDATES_KEPT = 5;

/** Candidates the model may choose among (the first ones). */
const MODEL_CANDIDATES = 5;

interface Index {
  key: string;
  /** The lexical ranker, built only when asked for (`ranker: 'lexical'`). */
  retriever?: Retriever;
  flows: FlowSet;
  titles: Map<string, string>;
  /** Each article's terms by `${id}\u0000${language}`, to tell whether it speaks to what was asked. */
  articleTerms: Map<string, ArticleTerms>;
  /** Every article term per language. */
  knownTerms: Map<string, Set<string>>;
  vocabulary: LanguageVocabulary;
  matcher?: Ranker;
  /** The texts the encoder compares a message with, by `${kind}\u0000${id}\u0000${language}` (encoder's language only). */
  meaningTexts: Map<string, string[]>;
  /** An article's meaning texts without the words of its subject, by the same key: made on first use (beyondTexts). */
  textsBeyondSubject: Map<string, string[]>;
  /** Decisions made on this index (see `understand`), by `decisionKey`. */
  decisions: RecentMap<string, OfflineDecision>;
}

/**
 * The same candidates as matcher documents: a passage of an article is a document (title, questions, heading,
 * text), a flow is one document per language whose fields are its description, keywords and every example (the
 * matcher weighs the closest example, the closest few and their centre).
 */
function matchDocs(articles: readonly Article[]): MatchDoc[] {
  return articles.flatMap((article): MatchDoc[] => {
    if (flowOfDoc(article.id) !== undefined) {
      const [about, ...examples] = article.passages;
      const fields: MatchDoc['fields'] = [
        ...(about?.text ? [{ kind: 'description' as const, text: about.text }] : []),
        ...(about?.questions ?? []).map((text) => ({ kind: 'keyword' as const, text })),
        ...examples.flatMap((p) => p.questions.map((text) => ({ kind: 'example' as const, text }))),
      ];
      return fields.length > 0 ? [{ id: article.id, locale: article.locale, fields }] : [];
    }
    return article.passages.map((p) => passageDoc(p, article));
  });
}

/** Per passage object: the same document for a passage each time, so a layer over an index compares it once (layered.ts). */
const passageDocs = new WeakMap<Passage, MatchDoc>();

function passageDoc(passage: Passage, article: Article): MatchDoc {
  let doc = passageDocs.get(passage);
  if (!doc) passageDocs.set(passage, (doc = { id: article.id, locale: article.locale, fields: passageFields(passage) }));
  return doc;
}

export class Understander {
  private index: Index | undefined;
  /** The baseline's index (see UnderstanderOptions.baseline), by the versions of its flows and articles. */
  private baseline: { key: string; docs: MatchDoc[]; matcher: Matcher } | undefined;
  /** Whether the current index was loaded from the copy kept in `indexDir` rather than built. */
  indexLoaded = false;

  constructor(private readonly options: UnderstanderOptions) {}

  get minConfidence(): number {
    return this.options.minConfidence;
  }

  /**
   * Builds the index and encodes every text the encoder compares messages with, so that the first customers do not
   * wait for it (the server calls this once it listens; meanwhile messages are understood as they come). An aborted
   * `signal` (the server stopping) ends it after the slice under way. `batch` (a batch command, no customers
   * waiting) encodes it all at once on every thread the encoder has.
   */
  async prepare(flows: FlowSet, signal?: AbortSignal, options: { batch?: boolean } = {}): Promise<void> {
    const index = this.indexFor(flows);
    const encoder = this.options.encoder;
    if (!encoder) return;
    const texts = [...index.meaningTexts].flatMap(([key, own]) => [...own, ...(beyondTexts(index, key) ?? [])]).slice(0, PREPARED_TEXTS);
    const file = this.options.vectorsFile;
    if (file) await encoder.restore?.(file);
    const missing = encoder.has ? texts.filter((text) => !encoder.has!(text)) : texts;
    if (options.batch) await encoder.encode(missing);
    // In small slices with a pause before each: the encoder's thread is shared with customers' messages, which must
    // not wait behind all of it (and a stopping server ends it after the slice under way).
    else for (let i = 0; i < missing.length && !signal?.aborted; i += PREPARE_SLICE) {
      await new Promise<void>((resolve) => setTimeout(resolve, PREPARE_PAUSE_MS));
      await encoder.encode(missing.slice(i, i + PREPARE_SLICE));
    }
    // Written again only when something was encoded (or the file lacks texts): an unchanged restart writes nothing.
    if (file && encoder.keep && !signal?.aborted && missing.length > 0) await encoder.keep(file, texts);
  }

  async understand(flows: FlowSet, text: string, options: UnderstandOptions = {}): Promise<Understood> {
    const whole = await this.understandOne(flows, text, options);
    const parts = questionParts(text);
    if (parts.length < 2 || whole.decision.kind === 'flow' || whole.intent) return whole;
    // Two questions: each is understood on its own; the first is answered and a confident second is offered.
    const [first, second] = await Promise.all(parts.map((part) => this.understandOne(flows, part, { ...options, model: false })));
    const chosen = first!.decision.kind === 'knowledge' && first!.decision.confidence >= whole.decision.confidence ? first! : whole;
    const other = second!.decision;
    const offered = other.kind === 'decline' ? undefined : second!.candidates.find((c) => c.id === (other.kind === 'flow' ? other.flow : other.article));
    const primary = chosen.decision.kind === 'knowledge' ? chosen.decision.article : undefined;
    if (!offered || offered.id === primary) return chosen === whole ? whole : { ...chosen, ...(whole.language ? { language: whole.language } : {}) };
    return { ...chosen, ...(whole.language ? { language: whole.language } : {}), second: { candidate: offered, question: parts[1]! }, why: `${chosen.why}; a second question (${offered.kind} ${offered.id}) is offered` };
  }

  private async understandOne(flows: FlowSet, text: string, options: UnderstandOptions): Promise<Understood> {
    const index = this.indexFor(flows);
    const { keyword, evidence, retrieval, query, lang, decided } = await this.offlineDecision(index, flows, text, options);
    const candidates = retrieval.candidates;
    let offline = decided;
    if (this.options.similar && options.model !== false && !keyword && offline.decision.kind === 'decline') {
      offline = await this.byMeaning(this.options.similar, offline, query, index, lang);
    }
    // A flow's own keyword or strong evidence for a flow keeps a merely ranked request from taking the message.
    const intent = this.intentOf(text, retrieval.intent, keyword !== undefined || (evidence !== undefined && !evidence.keywordOnly), offline.decision);
    if (intent) {
      const how = intent.exact ? 'its own words recognise it' : `it ranked first at confidence ${intent.confidence} >= ${this.options.minConfidence}`;
      return { ...offline, intent, why: `Parley's own request ${intent.name}: ${how} (without it: ${offline.why})` };
    }
    // A message that is essentially a flow's keyword is exact, like a button: the model is not asked.
    const chooser = options.model === false || keyword ? undefined : this.options.chooser;
    return chooser && candidates.length > 0 ? this.withModel(chooser, offline, { text, language: lang, candidates, flows }) : offline;
  }

  /**
   * The decision from the flows and articles alone, before any service is asked. The same words, in the same
   * conversation language after the same previous question, get the same one from the same index: it is made once
   * and kept with the index (a new release of the flows or a change of the knowledge base makes a new index, and the
   * decisions are made afresh). The chat model and the search by meaning are asked each time, after it.
   */
  private async offlineDecision(index: Index, flows: FlowSet, text: string, options: UnderstandOptions): Promise<OfflineDecision> {
    const followUp = options.previous !== undefined && isFollowUp(text);
    // The previous question decides only a follow-up: any other message is the same decision whatever came before.
    const key = decisionKey(text, { ...(options.locale ? { locale: options.locale } : {}), ...(followUp ? { previous: options.previous } : {}) });
    const known = index.decisions.get(key);
    if (known) return known;
    const detected = detectLanguage(text, index.vocabulary);
    const lang = detected ?? languageOf(options.locale ?? this.options.defaultLocale ?? 'en');
    let query = splitModelNames(text);
    const keyword = essentialKeyword(rankableFlows(flows), text);
    if (followUp && options.previous) {
      const before = (await this.rank(index, splitModelNames(options.previous), lang)).candidates[0];
      query = withPreviousQuestion(query, splitModelNames(options.previous), before?.title);
    }
    const retrieval = await this.rank(index, query, lang, keyword === undefined);
    const evidence = keyword ? undefined : flowEvidence(rankableFlows(flows), text, lang, retrieval.candidates);
    let decided: Understood = {
      ...this.offline(flows, text, keyword, evidence, retrieval, this.subjects(index, query, lang)),
      ...(detected ? { language: detected } : {}), ...(followUp ? { query } : {}),
    };
    if (retrieval.byWords) decided = { ...decided, why: `${decided.why}; re-ranked by meaning (the words alone: ${retrieval.byWords.first} at confidence ${retrieval.byWords.confidence})` };
    if (retrieval.unknown !== undefined) decided = { ...decided, unknown: retrieval.unknown, ...(retrieval.unknown > 0 ? { why: `${decided.why}; ${Math.round(retrieval.unknown * 100)} % of its words appear nowhere in the flows and articles` } : {}) };
    if (retrieval.meaningFailed) decided = { ...decided, why: `${decided.why}; the sentence encoder failed: the words alone` };
    const made: OfflineDecision = { keyword, evidence, retrieval, query, lang, decided };
    if (!retrieval.meaningFailed) index.decisions.set(key, made);
    return made;
  }

  /** What the message asks of an article beyond its subject, and whether it names nothing else (asked-beyond-subject.ts). */
  private subjects(index: Index, query: string, lang: string): Subjects {
    const terms = (article: string) => index.articleTerms.get(`${article}\u0000${lang}`);
    // The message's index terms, made once for whichever of these is asked.
    let messageTerms: string[] | undefined;
    const asked = () => (messageTerms ??= analyzerFor(lang).terms(query));
    return {
      unanswered: (article) => {
        const own = terms(article);
        // Without a model of meaning for the language, a word nothing in the base uses cannot be told from a paraphrase
        // of the article's own: it counts as asked beyond what the article says ("hat das Aero 14 eine Webcam").
        const known = lang === this.options.encoder?.language ? index.knownTerms.get(lang) ?? new Set<string>() : undefined;
        return own ? unansweredWords(asked(), own, known) : [];
      },
      asksQuestionOf: (article) => {
        const own = terms(article);
        return own !== undefined && asksExampleQuestion(asked(), own);
      },
      onlyNames: (article) => {
        const own = terms(article);
        return own !== undefined && namesOnlySubject(asked(), own);
      },
    };
  }

  /** The flow or article the message asks for, offline, as if Parley had no requests of its own. */
  private offline(flows: FlowSet, text: string, keyword: string | undefined, evidence: FlowEvidence | undefined, retrieval: Ranked, subjects: Subjects): Omit<Understood, 'language'> {
    let { candidates } = retrieval;
    if (keyword) return { decision: { kind: 'flow', flow: keyword, confidence: 1 }, candidates, why: `the message is the flow's keyword: ${keyword}` };
    const articleFirst = candidates[0]?.kind === 'knowledge' && retrieval.confidence >= KEYWORD_EVIDENCE;
    // A keyword is evidence, not a verdict: an article that answers with more confidence still answers (and offers the flow).
    if (evidence && !(evidence.keywordOnly && articleFirst)) {
      const confidence = Math.max(retrieval.confidence, evidence.confidence);
      if (confidence >= this.options.minConfidence) return { decision: { kind: 'flow', flow: evidence.flow, confidence }, candidates, why: evidence.why };
    }
    const moved = askedQuestionFirst(retrieval.candidates, subjects);
    if (moved) candidates = moved.candidates;
    let decided = this.decide(candidates, retrieval.confidence);
    if (moved) decided = { ...decided, why: `${decided.why}; ${moved.why}` };
    const unanswered = decided.decision.kind === 'knowledge' ? subjects.unanswered(decided.decision.article) : [];
    if (unanswered.length > 0) {
      // Less sure, not sure it is wrong: the words may be a paraphrase of the article's own (a sure match still answers;
      // a weaker one becomes a near miss, offered rather than quoted).
      const confidence = round3(retrieval.confidence * OFF_SUBJECT_FACTOR);
      const lowered = this.decide(candidates, confidence);
      // The words themselves stay out: `why` goes to the debug log, which never carries what the customer wrote.
      const words = unanswered.length === 1 ? 'the other word' : `any of the ${unanswered.length} other words`;
      const why = `${lowered.why}; lowered from ${retrieval.confidence}: ${candidates[0]!.id} is about what the message names, but mentions nowhere ${words} it asks with`;
      // Declined, the article about what it names is still what there is about it: offered however low the confidence.
      decided = lowered.decision.kind === 'decline' ? { ...lowered, decision: { ...lowered.decision, namesSubject: true }, why } : { ...lowered, why };
    }
    // The closeness beyond the subject was measured for the ranker's first article, not one moved before it.
    const beyond = moved ? undefined : retrieval.beyondSubject;
    if (beyond !== undefined && (decided.decision.kind === 'decline' || (decided.decision.kind === 'knowledge' && decided.decision.article === candidates[0]?.id))) {
      const confidence = withClosenessBeyondSubject(decided.decision.confidence, beyond);
      const weighed = this.decide(candidates, confidence);
      // The steps before this one stay in the explanation (a lowering for words the article never mentions).
      const before = decided.why.includes('; ') ? decided.why.slice(decided.why.indexOf('; ')) : '';
      const why = `${weighed.why}${before}; then from ${decided.decision.confidence} with the closeness by meaning of what the message asks beyond ${candidates[0]!.id}'s subject, ${beyond}`;
      // It named the article's subject ("the Pulse Mini") and asked what the article does not say: the article is
      // still what there is about it, offered however low the confidence.
      decided = weighed.decision.kind === 'decline' && beyond < BEYOND_SUBJECT_MODEL.centre
        ? { ...weighed, decision: { ...weighed.decision, namesSubject: true }, why: `${why}; the article about what it names is offered` }
        : { ...weighed, why };
    }
    // The flow whose keyword the message named, when an article answered instead, is offered beside the answer.
    if (evidence?.keywordOnly && decided.decision.kind === 'knowledge') decided.decision = { ...decided.decision, offerFlow: evidence.flow };
    if (decided.decision.kind === 'decline') decided = namingSubject(decided, subjects);
    const opener = decided.decision.kind === 'decline' ? greetingOpener(flows, text) : undefined;
    return opener
      ? { decision: { kind: 'flow', flow: opener, confidence: this.options.minConfidence }, candidates, why: `nothing else understood, and the message opens with a keyword of the ${opener} flow, which starts conversations` }
      : decided;
  }

  /**
   * Parley's own request in the message: one its own words recognise (certain, in the intents' order), else one
   * that ranked above every flow and article with enough confidence, unless a flow holds the message.
   */
  private intentOf(text: string, ranked: IntentMatch | undefined, flowHolds: boolean, offline: Decision): IntentMatch | undefined {
    const recognized = this.options.intents?.find((intent) => intent.recognize(text));
    if (recognized) return { name: recognized.name, confidence: 1, exact: true };
    if (!ranked || flowHolds || !(ranked.confidence >= this.options.minConfidence)) return undefined;
    // Acting on a request changes something (consent, data, a handoff): in other words than its own, it must clearly
    // beat the answer the flows and articles have ("how do I delete the app" is a question, not an erasure request).
    return offline.kind === 'decline' || ranked.confidence >= offline.confidence + INTENT_LEAD ? ranked : undefined;
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

  /** An article found by meaning, when the offline ranking declined and the embeddings are confident enough. */
  private async byMeaning(similar: NonNullable<UnderstanderOptions['similar']>, offline: Understood, query: string, index: Index, lang: string): Promise<Understood> {
    // What leaves the machine is masked, as for the chat model (email addresses, phone, card and IBAN numbers).
    const found = await similar(redact(query)).catch(() => null);
    const first = found?.hits[0];
    if (!found || !first) return offline;
    if (!(found.confidence >= this.options.minConfidence) || first.similarity < MEANING_MIN_SIMILARITY) {
      return { ...offline, why: `${offline.why}; by meaning, ${first.article} at similarity ${first.similarity}, confidence ${found.confidence}: not enough` };
    }
    const title = index.titles.get(`${first.article}\u0000${lang}`) ?? index.titles.get(`${first.article}\u0000${languageOf(first.locale)}`) ?? first.article;
    const candidate: ScoredCandidate = { kind: 'knowledge', id: first.article, score: first.similarity, title };
    return {
      ...offline,
      decision: { kind: 'knowledge', article: first.article, confidence: found.confidence, passage: first.passage },
      candidates: [candidate, ...offline.candidates.filter((c) => c.kind !== 'knowledge' || c.id !== first.article)].slice(0, CANDIDATES_KEPT),
      why: `found by meaning: ${first.article} (written in ${languageOf(first.locale)}, similarity ${first.similarity}) at confidence ${found.confidence} >= ${this.options.minConfidence} (offline: ${offline.why})`,
    };
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

  /**
   * The flows and articles, best first, and the confidence that the first is right, from the ranker in use; and the
   * built-in intent that ranked above all of them, with its confidence against the first of them.
   */
  private async rank(index: Index, text: string, lang: string, byMeaning = true): Promise<Ranked> {
    if (index.matcher) {
      const ranked = index.matcher.rank(text, { locale: lang, limit: CANDIDATES_KEPT * 4 });
      const seen = new Set<string>();
      const candidates: ScoredCandidate[] = [];
      const firstIntent = ranked[0] && intentOfDoc(ranked[0].id) !== undefined ? { name: intentOfDoc(ranked[0].id)!, score: ranked[0].score } : undefined;
      for (const { id, score } of ranked) {
        if (seen.has(id) || candidates.length >= CANDIDATES_KEPT || intentOfDoc(id) !== undefined) continue;
        seen.add(id);
        const flow = flowOfDoc(id);
        candidates.push({ kind: flow ? 'flow' : 'knowledge', id: flow ?? id, score, title: index.titles.get(`${id}\u0000${lang}`) ?? id });
      }
      const [first, second] = candidates;
      const intent = firstIntent && { name: firstIntent.name, confidence: matcherConfidence(firstIntent.score, first?.score ?? 0), exact: false };
      const confidence = first ? matcherConfidence(first.score, second?.score ?? 0) : 0;
      const encoder = this.options.encoder;
      // Not for a message that is a keyword (exact) nor one whose words match nothing ("order 4711 m3", gibberish).
      if (encoder && byMeaning && lang === encoder.language && candidates.length > 1 && first!.score >= MEANING_MIN_WORD_SCORE) {
        const textsOf = (c: ScoredCandidate) => index.meaningTexts.get(`${c.kind}\u0000${c.id}\u0000${lang}`) ?? [c.title];
        // A base that uses few words cannot tell a word it lacks from one it was never given (three examples per flow).
        const telling = Math.min(1, index.matcher.vocabularySize(lang) / TELLING_VOCABULARY);
        // The encoder reads the words as the matcher corrected them: a typo ("warrenty") is not the word it meant to it.
        const corrected = index.matcher.tokens(text, lang);
        const unknown = round3(index.matcher.unknownShare(text, lang, corrected) * telling);
        const asked = corrected && corrected.join(' ') !== tokenize(text).join(' ') ? corrected.join(' ') : text;
        let meant: Awaited<ReturnType<typeof rerankByMeaning>>;
        let beyond: number | undefined;
        try {
          meant = await rerankByMeaning(encoder, asked, candidates, textsOf, confidence, unknown);
          beyond = await this.beyondSubject(encoder, index, asked, meant.candidates[0], lang);
        } catch {
          // The encoder's thread failed (its model did not load): the words alone decide, and the next message asks again.
          return { candidates, confidence, meaningFailed: true, ...(intent ? { intent } : {}) };
        }
        return {
          candidates: meant.candidates, confidence: meant.confidence, byWords: { first: first!.id, confidence }, unknown,
          ...(beyond !== undefined ? { beyondSubject: beyond } : {}), ...(intent ? { intent } : {}),
        };
      }
      if (encoder && byMeaning && first && lang !== encoder.language) {
        // A language the encoder does not read (German): the same signal, on the words' own confidence.
        const telling = Math.min(1, index.matcher.vocabularySize(lang) / TELLING_VOCABULARY);
        const unknown = round3(index.matcher.unknownShare(text, lang) * telling);
        // Parley's own requests ranked on the same words are as unsure of them ("sucht ihr Mitarbeiter": are you hiring).
        const lowered = intent && { ...intent, confidence: withUnknownWords(intent.confidence, unknown) };
        if (unknown > 0) return { candidates, confidence: withUnknownWords(confidence, unknown), unknown, ...(lowered ? { intent: lowered } : {}) };
      }
      return { candidates, confidence, ...(intent ? { intent } : {}) };
    }
    const retrieval = await index.retriever!.search(text, { locale: lang, limit: CANDIDATES_KEPT });
    return { candidates: toCandidates(retrieval.hits, index.titles, lang), confidence: retrieval.confidence };
  }

  /** How close the message's point beyond the first article's subject is to what the article says (beyond-subject.ts). */
  private async beyondSubject(encoder: SentenceEncoder, index: Index, asked: string, first: ScoredCandidate | undefined, lang: string): Promise<number | undefined> {
    if (first?.kind !== 'knowledge') return undefined;
    const subject = index.articleTerms.get(`${first.id}\u0000${lang}`)?.subject;
    const texts = beyondTexts(index, `knowledge\u0000${first.id}\u0000${lang}`);
    return subject && texts ? closenessBeyondSubject(encoder, asked, subject, texts, lang) : undefined;
  }

  /** The matcher of the candidates' documents: a layer over the baseline's index when there is a baseline. */
  private rankerFor(docs: MatchDoc[]): Ranker {
    const baseline = this.options.baseline?.();
    if (!baseline) return this.matcherFor(docs);
    const key = `${baseline.flows.version}\u0000${baseline.knowledge.version}`;
    if (this.baseline?.key !== key) {
      const baseDocs = this.documents(baseline.flows, baseline.knowledge.articles, this.options.intents ?? []);
      this.baseline = { key, docs: baseDocs, matcher: this.matcherFor(baseDocs, true) };
    }
    return LayeredMatcher.over(this.baseline.matcher, this.baseline.docs, docs);
  }

  private documents(flows: FlowSet, articles: readonly Article[], intents: readonly BuiltInIntent[]): MatchDoc[] {
    return [...matchDocs([...flowArticles(flows), ...articlesForEveryLanguage(articles)]), ...intentMatchDocs(intents)];
  }

  /** `cached`: kept in (and loaded from) `indexDir`, when there is one. */
  private matcherFor(docs: MatchDoc[], cached = !this.options.baseline): Matcher {
    if (!this.options.indexDir || !cached) return Matcher.build(docs);
    const { matcher, loaded } = buildCached(docs, this.options.indexDir);
    this.indexLoaded = loaded;
    return matcher;
  }

  private indexFor(flows: FlowSet): Index {
    const knowledge = this.options.knowledge?.() ?? { version: '', articles: [] };
    const key = `${flows.version}\u0000${knowledge.version}`;
    const lexical = this.options.ranker === 'lexical';
    if (this.index?.key === key) return this.index;
    const articles = [...flowArticles(flows), ...articlesForEveryLanguage(knowledge.articles)];
    const intentDocs = lexical ? [] : intentMatchDocs(this.options.intents ?? []);
    const titles = new Map<string, string>();
    const terms = new Map<string, ArticleTerms>();
    const known = new Map<string, Set<string>>();
    for (const article of articles) {
      const key = `${article.id}\u0000${languageOf(article.locale)}`;
      titles.set(key, article.title);
      if (flowOfDoc(article.id) !== undefined) continue;
      const own = articleTerms(article, languageOf(article.locale));
      terms.set(key, own);
      const all = known.get(languageOf(article.locale)) ?? new Set<string>();
      for (const term of own.all) all.add(term);
      known.set(languageOf(article.locale), all);
    }
    const meaningTexts = this.options.encoder ? textsForMeaning(articles, this.options.encoder.language) : new Map<string, string[]>();
    // Made as each article first ranks (or is prepared): a large base's articles mostly never do.
    const beyondSubject = new Map<string, string[]>();
    const vocabulary = buildVocabulary(knowledge.articles.flatMap((a) => a.passages.map((p) => ({ language: languageOf(a.locale), text: `${p.title} ${p.text}` }))));
    this.index = lexical
      ? { key, retriever: Retriever.build(articles, { defaultLocale: LANGUAGES[0], ranker: 'lexical' }), flows, titles, articleTerms: terms, knownTerms: known, vocabulary, meaningTexts, textsBeyondSubject: beyondSubject, decisions: new RecentMap(DECISIONS_KEPT) }
      : { key, matcher: this.rankerFor([...matchDocs(articles), ...intentDocs]), flows, titles, articleTerms: terms, knownTerms: known, vocabulary, meaningTexts, textsBeyondSubject: beyondSubject, decisions: new RecentMap(DECISIONS_KEPT) };
    return this.index;
  }
}

/**
 * Texts of one candidate the encoder compares a message with: bounds the work for a long article (a message costs at
 * most five candidates' worth of encoding the first time they rank). 32 keeps every right answer of the dev half.
 */
const MEANING_TEXTS_PER_CANDIDATE = 32;

/**
 * The least word score of the first candidate for a re-ranking by meaning: below it the words matched nothing and the
 * message stays declined (no right answer of the dev sets is lost; each such message saves an encoding).
 */
const MEANING_MIN_WORD_SCORE = 0.001;

/**
 * Distinct words from which a base's vocabulary tells what it does not speak of: below it the share of unknown words
 * weighs proportionally less (the demo's English flows and articles use about 830, BANKING77's 10 examples per intent
 * about 620; three examples for each of three flows about 20).
 */
const TELLING_VOCABULARY = 500;

/**
 * Per unit of the share of the message's words that nothing in the base uses, on the log-odds of the words' own
 * confidence, for a message in a language the encoder does not read (German). Chosen on the German dev half: -2 to
 * -2.5 removed two of its five confidently wrong answers and kept every right one; -1.5 removed none, -3 cost a right one.
 */
const WORDS_UNKNOWN_WEIGHT = -2.25;

function withUnknownWords(confidence: number, unknown: number): number {
  const p = Math.min(Math.max(confidence, 1e-6), 1 - 1e-6);
  return round3(1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + WORDS_UNKNOWN_WEIGHT * unknown))));
}

/** Texts encoded per slice by `prepare` (about 30–50 ms of computing each), and the pause before each. */
const PREPARE_SLICE = 8;
const PREPARE_PAUSE_MS = 20;

/** Texts encoded ahead by `prepare`: above this the rest are encoded as they first rank (a large knowledge base). */
const PREPARED_TEXTS = 10_000;

/**
 * What the encoder compares a message with, per candidate in its language: a flow's description, keywords and
 * examples; an article's titles, example questions, headings and the sentences of its text.
 */
/** An article's meaning texts without its subject's words (`key` as in Index.meaningTexts); none for a flow. */
function beyondTexts(index: Index, key: string): string[] | undefined {
  const known = index.textsBeyondSubject.get(key);
  if (known) return known;
  const [kind, id, lang] = key.split('\u0000') as [string, string, string];
  const subject = kind === 'knowledge' ? index.articleTerms.get(`${id}\u0000${lang}`)?.subject : undefined;
  const texts = index.meaningTexts.get(key);
  if (!subject || !texts) return undefined;
  const made = textsBeyondSubject(texts, subject, lang);
  index.textsBeyondSubject.set(key, made);
  return made;
}

function textsForMeaning(articles: readonly Article[], language: string): Map<string, string[]> {
  const texts = new Map<string, string[]>();
  for (const article of articles) {
    if (languageOf(article.locale) !== language) continue;
    const flow = flowOfDoc(article.id);
    const key = `${flow ? 'flow' : 'knowledge'}\u0000${flow ?? article.id}\u0000${language}`;
    const own = texts.get(key) ?? [];
    for (const p of article.passages) {
      if (flow) own.push(...(p.text ? [p.text] : []), ...p.questions);
      else own.push(p.title, ...p.questions, ...(p.heading ? [p.heading, ...headingTopics(p.heading)] : []), ...sentencesOf(p.text));
    }
    texts.set(key, [...new Set(own.filter((t) => t.trim() !== ''))].slice(0, MEANING_TEXTS_PER_CANDIDATE));
  }
  return texts;
}

type FlowEvidence = { flow: string; confidence: number; why: string; keywordOnly?: true };

interface Subjects {
  /** The words asked about that the article never mentions while the knowledge base does elsewhere. */
  unanswered(article: string): string[];
  /** Whether the message names nothing but what the article is about ("Pulse Mini"). */
  onlyNames(article: string): boolean;
  /** Whether the message contains one of the article's example questions whole. */
  asksQuestionOf(article: string): boolean;
}

/**
 * A decline of a message that only names what the first article is about ("pulse mini"): the articles about it
 * come first among the candidates, offered however low the confidence (which of them is the question left).
 */
/**
 * An article among the next two that the message asks an example question of, word for word, moved before a first
 * article that it asks none of: "wie lange ist die Garantie beim Aero 14" holds the warranty article's "Wie lange ist
 * die Garantie?" whole, and names the Aero 14, whose page ranks first on the rare words of its name. The editor said
 * which article answers that question; the product's name qualifies it.
 */
function askedQuestionFirst(candidates: ScoredCandidate[], subjects: Subjects): { candidates: ScoredCandidate[]; why: string } | undefined {
  const first = candidates[0];
  if (first?.kind !== 'knowledge' || subjects.asksQuestionOf(first.id)) return undefined;
  const asked = candidates.slice(1, 3).find((c) => c.kind === 'knowledge' && subjects.asksQuestionOf(c.id));
  if (!asked) return undefined;
  return { candidates: [asked, ...candidates.filter((c) => c !== asked)], why: `moved before ${first.id}: the message holds one of ${asked.id}'s example questions whole` };
}

function namingSubject(declined: Omit<Understood, 'language'>, subjects: Subjects): Omit<Understood, 'language'> {
  const about = declined.candidates.filter((c) => c.kind === 'knowledge' && subjects.onlyNames(c.id));
  if (about.length === 0 || declined.candidates[0] !== about[0]) return declined;
  return {
    ...declined,
    decision: { kind: 'decline', confidence: declined.decision.confidence, namesSubject: true },
    candidates: [...about, ...declined.candidates.filter((c) => !about.includes(c))],
    why: `${declined.why}; the message only names what ${about.map((c) => c.id).join(', ')} ${about.length === 1 ? 'is' : 'are'} about: offered`,
  };
}

/** What the ranker found: flows and articles best first, the confidence in the first, a request of Parley's ranked above them. */
interface Ranked {
  candidates: ScoredCandidate[];
  confidence: number;
  intent?: IntentMatch;
  /** The sentence encoder failed: ranked by the words alone (such a decision is not kept). */
  meaningFailed?: true;
  /** With the encoder: the first candidate and the confidence of the words alone, before the re-ranking by meaning. */
  byWords?: { first: string; confidence: number };
  /** With the encoder: the share of the message's words that no candidate uses (a feature of its confidence). */
  unknown?: number;
  /** With the encoder, when an article is first: how close the message's point beyond its subject is to what it says. */
  beyondSubject?: number;
}

/** What the flows and articles alone decide for a message, and what the steps after it need (see offlineDecision). */
interface OfflineDecision {
  keyword: string | undefined;
  evidence: FlowEvidence | undefined;
  retrieval: Ranked;
  /** The words ranked: the message's, with the previous question's subject for a follow-up. */
  query: string;
  lang: string;
  decided: Understood;
}

/** A flow the message names a value for, or says nearly what one of its examples says. */
function flowEvidence(flows: readonly Flow[], text: string, lang: string, ranked: readonly ScoredCandidate[]): FlowEvidence | undefined {
  for (const flow of flows) if (carriesValue(flow, text)) return { flow: flow.name, confidence: 0.9, why: `the message carries a value the ${flow.name} flow asks for` };
  // Words shared with an example are evidence for the flow the ranker puts first among the flows, not against it:
  // the ranker weighs which words matter, the overlap counts them all alike.
  const firstFlowName = ranked.find((c) => c.kind === 'flow')?.id;
  const firstFlow = flows.find((flow) => flow.name === firstFlowName);
  const overlap = firstFlow ? exampleOverlap(firstFlow, text, lang) : 0;
  if (firstFlow && overlap >= NEAR_EXAMPLE) {
    return { flow: firstFlow.name, confidence: round3(overlap), why: `the message says nearly what an example of ${firstFlow.name} says (${round3(overlap)})` };
  }
  const named = flows.filter((flow) => keywordEvidence(flow, text, lang));
  if (named.length === 1) return { flow: named[0]!.name, confidence: KEYWORD_EVIDENCE, why: `the message names a keyword phrase of ${named[0]!.name}`, keywordOnly: true };
  return undefined;
}

/**
 * The confidence kept for a first article that never mentions what was asked while the knowledge base speaks of it
 * elsewhere (chosen on the Brightwave dev half: 0.7 turned its confidently wrong product answers into near misses
 * and kept every right answer).
 */
const OFF_SUBJECT_FACTOR = 0.7;

/**
 * The least similarity of the closest passage for a decision by meaning alone: a lead over the next article in a
 * small base is not enough when nothing is really close (text-embedding-3-small scores a passage that answers a
 * question about 0.5 or more; unrelated texts 0.1–0.3).
 */
const MEANING_MIN_SIMILARITY = 0.5;

/** How far a request of Parley's, ranked on other words than its own, must lead a confident flow or article. */
const INTENT_LEAD = 0.2;

/** Confidence a keyword phrase (or a one-word keyword in a two-word message) lends its flow. */
const KEYWORD_EVIDENCE = 0.75;

/**
 * "Hi, I am Alice…", "Hallo, ich hab da mal eine Frage": a message nothing else understands that opens with a keyword
 * of the flow that starts conversations (the greeting) is greeted, rather than told the bot is not sure.
 */
function greetingOpener(flows: FlowSet, text: string): string | undefined {
  const start = flows.startFlow ? flows.flows.get(flows.startFlow) : undefined;
  if (!start) return undefined;
  const said = ` ${tokenize(text).join(' ')} `;
  return start.triggers.keywords.some((k) => tokenize(k).length > 0 && said.startsWith(` ${tokenize(k).join(' ')} `)) ? start.name : undefined;
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

/** "wave700", "aero14" are written as the articles write them: "wave 700", "aero 14". */
function splitModelNames(text: string): string {
  return text.replace(/\b(\p{L}{3,})(\d{2,})\b/gu, '$1 $2');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** What the conversation's state tells the understanding step: its language, and the customer's previous question. */
export function understandOptions(state: ConversationState): UnderstandOptions {
  const previous = state.vars[LAST_QUESTION_VAR];
  return { ...(state.locale ? { locale: state.locale } : {}), ...(typeof previous === 'string' && previous !== '' ? { previous } : {}) };
}
