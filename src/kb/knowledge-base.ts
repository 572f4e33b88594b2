/**
 * The knowledge base the bot and the agents share: loads the knowledge directory, keeps an in-memory index
 * (rebuilt on demand or when files change), answers questions with a calibrated confidence, and records the
 * questions it could not answer.
 */
import type { KnowledgeAnswer, KnowledgeHit } from '../core/knowledge-port.ts';
import type { SimilarArticles } from '../core/understanding.ts';
import type { Logger } from '../infra/logger.ts';
import { watchTree, type TreeWatcher } from '../infra/watch-tree.ts';
import { groupGaps } from './gap-groups.ts';
import { withDrafts, type KnowledgeDrafts } from './drafts.ts';
import { MemoryGapStore, type GapStore } from './gap-store.ts';
import { loadKeptKnowledge, type KeptMemory } from './kept-knowledge.ts';
import { keptBySource } from '../search/matcher/index.ts';
import { DEFAULT_LOCALE, isKnowledgeFile, relativeName } from './load.ts';
import { redact } from '../infra/redact.ts';
import type { AnswerWriter } from './openai/answer-writer.ts';
import type { Embedder } from './openai/embedder.ts';
import type { VectorIndex } from './openai/vector-index.ts';
import { Retriever, type RetrievedHit } from './retriever.ts';
import { answerSentences, bestPassage } from './answer-sentences.ts';
import { shorten } from './shorten.ts';
import { language } from '../search/text.ts';
import type { AnswerOptions, Article, KbGapGroup, KbIssue, KbStats, KnowledgeBase, LoadedKnowledge, SearchOptions, SearchResult } from './types.ts';

/** Longest answer when the caller does not say (characters). */
export const DEFAULT_MAX_LENGTH = 700;
/** Said under an offline answer quoted from an article written in another language than the question. */
const IN_OTHER_LANGUAGE: Record<string, string> = { en: '(This article is only available in German.)', de: '(Dieser Artikel ist nur auf Englisch verfügbar.)' };

/** Counts the indexes made in this process, so that two made in the same millisecond still differ in version. */
let indexesMade = 0;

/** Passages handed to the model: the best passage of each of the first articles. */
const PASSAGES_FOR_MODEL = 4;

export interface KnowledgeBaseParts {
  dir: string;
  minConfidence: number;
  defaultLocale: string;
  gapStore: GapStore;
  recordGaps: boolean;
  embedder?: Embedder;
  writer?: AnswerWriter;
  /** Where the index is kept between runs (`<DATA_DIR>/kb/index`); absent: built at every start. */
  indexDir?: string;
  /** The name its knowledge is kept under when its folder changes between runs (kept-knowledge.ts); absent: the folder's path. */
  keptAs?: string;
  logger?: Logger;
  watch: boolean;
}

export class FileKnowledgeBase implements KnowledgeBase {
  private loaded: LoadedKnowledge = { articles: [], issues: [], files: 0 };
  private retriever: Retriever = Retriever.build([], { defaultLocale: DEFAULT_LOCALE });
  private builtAt = new Date();
  private generation = 0;
  private inflight: Promise<KbStats> | null = null;
  private queued: Promise<KbStats> | null = null;
  private watcher: TreeWatcher | null = null;
  /**
   * Per knowledge file (its path in the folder the articles were loaded from), a hash of its content, to tell which
   * files a rebuild has to re-index; and that folder.
   */
  private fingerprints = new Map<string, string>();
  private loadedFrom = '';
  /** What the last load read, per file: the next one in this process starts from it (kept-knowledge.ts). */
  private memory: KeptMemory | null = null;
  /** Files known to have the content `memory` holds (see successor). */
  private unchanged: ReadonlySet<string> | undefined;

  constructor(private readonly parts: KnowledgeBaseParts) {}

  /** First build, and the watcher when asked for. */
  async start(): Promise<this> {
    await this.rebuild();
    if (this.parts.watch) {
      this.watcher = watchTree(this.parts.dir, {
        what: 'knowledge',
        relevant: isKnowledgeFile,
        debounceMs: 200,
        logger: this.parts.logger,
        onChange: () => {
          this.rebuild().catch((error: unknown) => this.parts.logger?.error({ err: error }, 'kb: rebuild after a change failed; the previous index still serves'));
        },
      });
      await this.watcher.ready;
    }
    return this;
  }

  rebuild(): Promise<KbStats> {
    if (this.inflight) {
      // Files changed while building: build once more after this one, however many calls arrive meanwhile.
      this.queued ??= this.inflight.catch(() => undefined).then(() => {
        this.queued = null;
        return this.rebuild();
      });
      return this.queued;
    }
    this.inflight = this.build().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async build(): Promise<KbStats> {
    // Files unchanged since the last load (kept under DATA_DIR) are neither read nor parsed again (kept-knowledge.ts).
    const indexDir = this.parts.indexDir;
    // When no index of these files is kept but one of an earlier state of them is, the first build loads that one and
    // layers the changed files' articles over it (a restart after an edit is not a rebuild).
    const indexKept = indexDir ? (key: string) => keptBySource(indexDir, key) : undefined;
    const { loaded, prints, key, base, memory } = await loadKeptKnowledge(this.parts.dir, this.parts.defaultLocale, indexDir, {
      ...(indexKept ? { indexKept } : {}), ...(this.memory ? { memory: this.memory } : {}), ...(this.parts.keptAs ? { keptAs: this.parts.keptAs } : {}),
      ...(this.memory && this.unchanged ? { unchanged: this.unchanged } : {}),
    });
    this.unchanged = undefined;
    for (const issue of loaded.issues) this.parts.logger?.warn({ file: issue.file, line: issue.line, problem: issue.message }, 'kb: file left out');
    const vectors = await this.embed(loaded);
    // A change to a few files re-indexes their articles alone; the first build, or many changes, build it all.
    const changed =
      this.fingerprints.size > 0 ? changedArticles({ articles: this.loaded.articles, prints: this.fingerprints, dir: this.loadedFrom }, { articles: loaded.articles, prints, dir: this.parts.dir }) : null;
    const embedder = this.parts.embedder ?? null;
    this.retriever =
      (changed && this.retriever.update(loaded.articles, changed, { vectors, embedder })) ??
      Retriever.build(loaded.articles, {
        defaultLocale: this.parts.defaultLocale,
        vectors,
        embedder,
        logger: this.parts.logger,
        ...(indexDir ? { indexDir, sourceKey: key, base } : {}),
      });
    this.fingerprints = prints;
    this.memory = memory;
    this.loadedFrom = this.parts.dir;
    this.loaded = loaded;
    this.builtAt = new Date();
    this.generation = ++indexesMade;
    const stats = this.stats();
    this.parts.logger?.info({ articles: stats.articles, passages: stats.passages, embedded: stats.embedded, issues: stats.issues, index: stats.index }, 'kb: index ready');
    return stats;
  }

  /**
   * A base of `dir` (another folder of mostly the same files: the next release's knowledge) that starts from this one's
   * index: its `start` re-indexes only the files that differ, as a change on disk would (it does not watch). This base
   * is not changed. `unchanged`: the files (paths in `dir`) known to have the content they have in this base's folder
   * (a release switch knows which files the release changed): they are not read again.
   */
  successor(dir: string, unchanged?: ReadonlySet<string>): FileKnowledgeBase {
    const next = new FileKnowledgeBase({ ...this.parts, dir, watch: false });
    next.loaded = this.loaded;
    next.retriever = this.retriever;
    next.fingerprints = this.fingerprints;
    next.loadedFrom = this.loadedFrom;
    // Its files (but `unchanged`) are read and hashed, and only those whose content this base did not have are parsed.
    next.memory = this.memory;
    next.unchanged = unchanged;
    return next;
  }

  /**
   * This base with an editor's drafts over it, for the studio's preview: the changed files' articles replace theirs and
   * are indexed as a layer over this base's index (Retriever.layered), so it is ready in the time the drafts take, not
   * the whole base. It records no gaps and does not watch; this base is not changed.
   */
  async withDrafts(drafts: KnowledgeDrafts): Promise<FileKnowledgeBase> {
    const loaded = withDrafts(this.loaded, this.parts.dir, drafts, this.parts.defaultLocale);
    const drafted = new FileKnowledgeBase({ ...this.parts, recordGaps: false, gapStore: new MemoryGapStore(), watch: false });
    drafted.retriever = this.retriever.layered(loaded.articles, await drafted.embed(loaded));
    drafted.loaded = loaded;
    drafted.generation = ++indexesMade;
    return drafted;
  }

  private async embed(loaded: LoadedKnowledge): Promise<VectorIndex | null> {
    if (!this.parts.embedder) return null;
    const passages = loaded.articles.flatMap((a) => a.passages);
    try {
      return await this.parts.embedder.index(passages);
    } catch (error) {
      this.parts.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: embedding passages failed; offline ranking only until the next rebuild');
      return null;
    }
  }

  async search(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const retrieval = await this.retriever.search(question, options);
    return { hits: retrieval.hits.map(toKnowledgeHit), confidence: retrieval.confidence };
  }

  /** Articles closest in meaning to the question, in any language; null without embeddings (see Retriever.similar). */
  async similar(question: string): Promise<SimilarArticles | null> {
    const found = await this.retriever.similar(question);
    if (!found) return null;
    return {
      hits: found.hits.map((h) => ({ article: h.articleId, passage: h.passage.id, locale: h.passage.locale, similarity: Math.round(h.similarity * 1000) / 1000 })),
      confidence: found.confidence,
    };
  }

  /** The articles as loaded now, and a version that changes with every rebuild (the understanding step indexes them). */
  snapshot(): { version: string; articles: readonly Article[] } {
    return { version: `${this.builtAt.toISOString()} ${this.loaded.articles.length} #${this.generation}`, articles: this.loaded.articles };
  }

  async answer(question: string, options: AnswerOptions = {}): Promise<KnowledgeAnswer> {
    if (options.understood) return this.answerUnderstood(question, options.understood, options);
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const retrieval = await this.retriever.search(question, { locale: options.locale, limit: Math.max(options.limit ?? 5, PASSAGES_FOR_MODEL) });
    const results = retrieval.hits.slice(0, options.limit ?? 5).map(toKnowledgeHit);
    const top = retrieval.hits[0];
    const decline = async (confidence: number): Promise<KnowledgeAnswer> => {
      if (options.recordGap ?? this.parts.recordGaps) {
        await this.recordGap({ question, confidence, nearestArticleId: top?.articleId ?? null, locale: options.locale ?? null }).catch((error: unknown) =>
          this.parts.logger?.error({ err: error }, 'kb: could not record a gap'),
        );
      }
      return { question, results, confidence, answer: null, sources: [] };
    };
    if (!top || retrieval.confidence < this.parts.minConfidence) return decline(retrieval.confidence);

    if (this.parts.writer) {
      const used = retrieval.hits.slice(0, PASSAGES_FOR_MODEL);
      try {
        const written = await this.parts.writer.write(question, used.map((h) => h.passage), { maxLength, locale: options.locale ?? top.passage.locale });
        // The model found no support in the passages: the same "not sure" path, under the threshold.
        if (!written.ok) return decline(Math.min(retrieval.confidence, Math.max(0, this.parts.minConfidence - 0.01)));
        const sources = [...new Set(written.used.map((n) => used[n - 1]!.title))];
        return { question, results, confidence: retrieval.confidence, answer: shorten(written.answer, maxLength), sources };
      } catch (error) {
        this.parts.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: the model did not answer; answering with the best passage');
      }
    }
    return { question, results, confidence: retrieval.confidence, answer: `${answerSentences(top.passage, question, maxLength)}${otherLanguageNote(top.passage.locale, options.locale ?? this.parts.defaultLocale)}`, sources: [top.title] };
  }

  /**
   * The answer to a question the understanding step already decided on: from its article, in the asked language
   * when the article has it (else as written, and said so), or a decline (recorded as a gap) when it was not sure.
   */
  private async answerUnderstood(question: string, understood: NonNullable<AnswerOptions['understood']>, options: AnswerOptions): Promise<KnowledgeAnswer> {
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const asked = language(options.locale ?? this.parts.defaultLocale);
    const versions = understood.article === null ? [] : this.loaded.articles.filter((a) => a.id === understood.article);
    const article = versions.find((a) => language(a.locale) === asked) ?? versions.find((a) => language(a.locale) === language(this.parts.defaultLocale)) ?? versions[0];
    // The passage found by meaning, when it is in the version answering; otherwise the one whose words fit best.
    const passage = article ? (article.passages.find((p) => p.id === understood.passage) ?? bestPassage(article.passages, question)) : undefined;
    if (!article || !passage) {
      if (options.recordGap ?? this.parts.recordGaps) {
        await this.recordGap({ question, confidence: understood.confidence, nearestArticleId: understood.nearest ?? null, locale: options.locale ?? null }).catch((error: unknown) =>
          this.parts.logger?.error({ err: error }, 'kb: could not record a gap'));
      }
      return { question, results: [], confidence: understood.confidence, answer: null, sources: [], notUnderstood: true };
    }
    const results = [{ id: article.id, title: article.title, score: understood.confidence, passage: passage.text }];
    if (this.parts.writer) {
      try {
        const written = await this.parts.writer.write(question, [passage], { maxLength, locale: options.locale ?? article.locale });
        if (written.ok) return { question, results, confidence: understood.confidence, answer: shorten(written.answer, maxLength), sources: [article.title] };
      } catch (error) {
        this.parts.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: the model did not answer; answering with the passage');
      }
    }
    const answer = answerSentences(passage, question, maxLength);
    return { question, results, confidence: understood.confidence, answer: `${answer}${otherLanguageNote(article.locale, asked)}`, sources: [article.title] };
  }

  stats(): KbStats {
    const locales: Record<string, number> = {};
    const tags = new Map<string, number>();
    for (const article of this.loaded.articles) {
      locales[article.locale] = (locales[article.locale] ?? 0) + 1;
      for (const tag of article.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    return {
      files: this.loaded.files,
      articles: this.loaded.articles.length,
      passages: this.loaded.articles.reduce((sum, a) => sum + a.passages.length, 0),
      locales,
      tags: Object.fromEntries([...tags].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      issues: this.loaded.issues.length,
      embedded: this.retriever.embedded,
      index: this.retriever.indexUpdated ? 'updated' : this.retriever.indexLoaded ? 'loaded' : 'built',
      builtAt: this.builtAt.toISOString(),
    };
  }

  issues(): KbIssue[] {
    return [...this.loaded.issues];
  }

  async recordGap(gap: { question: string; confidence: number; nearestArticleId?: string | null; locale?: string | null }): Promise<void> {
    await this.parts.gapStore.record({
      question: redact(gap.question).slice(0, 500),
      confidence: gap.confidence,
      nearestArticleId: gap.nearestArticleId ?? null,
      locale: gap.locale ? language(gap.locale) : null,
      at: new Date(),
    });
  }

  async gaps(options: { limit?: number; since?: Date } = {}): Promise<KbGapGroup[]> {
    const gaps = await this.parts.gapStore.list({ limit: 5000, since: options.since });
    return groupGaps(gaps).slice(0, options.limit ?? 50);
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
    await this.inflight?.catch(() => undefined);
  }
}

/** Said after an offline answer quoted from an article in another language than the question's; empty otherwise. */
function otherLanguageNote(articleLocale: string, askedLocale: string): string {
  const asked = language(askedLocale);
  return language(articleLocale) !== asked ? ` ${IN_OTHER_LANGUAGE[asked] ?? ''}`.trimEnd() : '';
}

function toKnowledgeHit(hit: RetrievedHit): KnowledgeHit {
  return { id: hit.articleId, title: hit.title, score: hit.score, passage: hit.passage.text };
}

interface LoadedFiles {
  articles: readonly Article[];
  prints: ReadonlyMap<string, string>;
  dir: string;
}

/**
 * The ids of the articles in files that were added, changed or removed between two loads, as they were and are; the
 * two may be of different folders with the same files (two releases' knowledge folders).
 */
function changedArticles(before: LoadedFiles, now: LoadedFiles): Set<string> {
  const files = new Set([...before.prints.keys(), ...now.prints.keys()].filter((file) => before.prints.get(file) !== now.prints.get(file)));
  const changed = new Set<string>();
  for (const { articles, dir } of [before, now]) {
    // A file's articles share its path: each path made relative once (path.relative for each of 100,000 articles took ~0.2 s).
    const names = new Map<string, boolean>();
    for (const article of articles) {
      let isChanged = names.get(article.file);
      if (isChanged === undefined) names.set(article.file, (isChanged = files.has(relativeName(dir, article.file))));
      if (isChanged) changed.add(article.id);
    }
  }
  return changed;
}
