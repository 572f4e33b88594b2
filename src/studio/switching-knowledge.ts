/**
 * The knowledge base of the release being served. Each release's knowledge folder gets its own index, built before
 * it replaces the previous one, so a question never meets a half-built index; a release whose articles did not
 * change keeps the index it has. The engine, the understanding step and the agents hold this one object throughout.
 */
import type { SimilarArticles } from '../core/understanding.ts';
import type { KnowledgeAnswer } from '../core/knowledge-port.ts';
import type { KnowledgeDrafts } from '../kb/drafts.ts';
import { createKnowledgeBase, type CreateKnowledgeBaseOptions } from '../kb/index.ts';
import { FileKnowledgeBase } from '../kb/knowledge-base.ts';
import type { AnswerOptions, KbGapGroup, KbIssue, KbStats, KnowledgeBase, SearchOptions, SearchResult } from '../kb/types.ts';

export type KnowledgeSettings = Omit<CreateKnowledgeBaseOptions, 'dir' | 'watch'>;

export class SwitchingKnowledgeBase implements KnowledgeBase {
  private constructor(private current: KnowledgeBase, private readonly settings: KnowledgeSettings) {}

  static async open(dir: string, settings: KnowledgeSettings): Promise<SwitchingKnowledgeBase> {
    return new SwitchingKnowledgeBase(await createKnowledgeBase({ ...settings, dir, watch: false }), settings);
  }

  /** Answers from `knowledge` (a base made elsewhere: the studio preview's drafts over a release's). */
  static of(knowledge: KnowledgeBase, settings: KnowledgeSettings): SwitchingKnowledgeBase {
    return new SwitchingKnowledgeBase(knowledge, settings);
  }

  /**
   * Indexes `dir`, then answers from it; the previous index is closed. A base loaded from files hands its index on:
   * only the files that differ from its own are indexed anew (FileKnowledgeBase.successor), so every server process
   * takes in a published release's changed articles without rebuilding its whole index. `unchanged`: the files (paths
   * in `dir`) whose content is the one of the folder served, which are then not read again.
   */
  async switchTo(dir: string, unchanged?: ReadonlySet<string>): Promise<void> {
    const next = this.current instanceof FileKnowledgeBase ? await this.current.successor(dir, unchanged).start() : await createKnowledgeBase({ ...this.settings, dir, watch: false });
    await this.use(next);
  }

  /** Answers from `next` from now on; the previous base is closed. */
  async use(next: KnowledgeBase): Promise<void> {
    const previous = this.current;
    this.current = next;
    await previous.close();
  }

  /**
   * The base served now with an editor's drafts over it, its index a layer over this one's (FileKnowledgeBase.withDrafts);
   * undefined when the base was not loaded from files (the app was given its own).
   */
  withDrafts(drafts: KnowledgeDrafts): Promise<KnowledgeBase> | undefined {
    return this.current instanceof FileKnowledgeBase ? this.current.withDrafts(drafts) : undefined;
  }

  answer(question: string, options?: AnswerOptions): Promise<KnowledgeAnswer> {
    return this.current.answer(question, options);
  }

  search(question: string, options?: SearchOptions): Promise<SearchResult> {
    return this.current.search(question, options);
  }

  stats(): KbStats {
    return this.current.stats();
  }

  issues(): KbIssue[] {
    return this.current.issues();
  }

  rebuild(): Promise<KbStats> {
    return this.current.rebuild();
  }

  recordGap(gap: { question: string; confidence: number; nearestArticleId?: string | null; locale?: string | null }): Promise<void> {
    return this.current.recordGap(gap);
  }

  gaps(options?: { limit?: number; since?: Date }): Promise<KbGapGroup[]> {
    return this.current.gaps(options);
  }

  similar(question: string): Promise<SimilarArticles | null> {
    return this.current.similar?.(question) ?? Promise.resolve(null);
  }

  snapshot(): ReturnType<KnowledgeBase['snapshot']> {
    return this.current.snapshot();
  }

  close(): Promise<void> {
    return this.current.close();
  }
}
