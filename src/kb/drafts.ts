/**
 * A knowledge base's articles with an editor's drafts over them: each changed file's articles replace those the file
 * had (a removed file's go), every other file's articles stay as they were loaded. Only the changed files are read.
 */
import path from 'node:path';
import { admission, isKnowledgeFile, parseKnowledgeFile } from './load.ts';
import type { Article, KbIssue, LoadedKnowledge } from './types.ts';

/** A draft per file path in the knowledge directory (`/`-separated): its new content, or null for a removal. */
export type KnowledgeDrafts = Readonly<Record<string, string | null>>;

export function withDrafts(loaded: LoadedKnowledge, dir: string, drafts: KnowledgeDrafts, defaultLocale: string): LoadedKnowledge {
  const changed = new Set(Object.keys(drafts).map((relative) => path.join(dir, ...relative.split('/'))));
  const admit = admission();
  const articles: Article[] = [];
  for (const article of loaded.articles) if (!changed.has(article.file) && !admit(article)) articles.push(article);
  const issues: KbIssue[] = loaded.issues.filter((issue) => !changed.has(issue.file));
  let files = loaded.files;
  for (const [relative, content] of Object.entries(drafts)) {
    if (!isKnowledgeFile(relative)) continue;
    const file = path.join(dir, ...relative.split('/'));
    const existed = loaded.articles.some((a) => a.file === file) || loaded.issues.some((i) => i.file === file);
    if (content === null) {
      if (existed) files--;
      continue;
    }
    if (!existed) files++;
    const parsed = parseKnowledgeFile(file, relative, content, defaultLocale);
    issues.push(...parsed.issues);
    for (const article of parsed.articles) {
      // A draft that takes an article id or passage id another file has is the draft's problem.
      const clash = admit(article);
      if (clash) issues.push(clash);
      else articles.push(article);
    }
  }
  // In file order, as a whole load has them (ties in ranking go the same way).
  articles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { articles, issues, files };
}
