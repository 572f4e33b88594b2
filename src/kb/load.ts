/**
 * Reads a knowledge directory: Markdown articles (`*.md`) and FAQ files (`*.jsonl`), recursively. README.md
 * files and anything whose name starts with `_` or `.` are not knowledge (editors keep notes and drafts there).
 * A broken file is reported and left out; the rest loads. A translation sits beside its original as
 * `<name>.<locale>.md` (`faq.<locale>.jsonl`) with the original's id: articles are identified by (id, locale).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFaqFile } from './faq.ts';
import { parseFrontMatter } from './front-matter.ts';
import { normalizeLocale, passageId, splitLocaleSuffix } from './locale-suffix.ts';
import { splitSections } from './markdown.ts';
import type { Article, KbIssue, LoadedKnowledge } from './types.ts';

export const DEFAULT_LOCALE = 'en';

/** Whether a path relative to the knowledge directory is a knowledge file. */
export function isKnowledgeFile(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  if (parts.some((part) => part.startsWith('_') || part.startsWith('.') || part === 'node_modules')) return false;
  const name = parts.at(-1) ?? '';
  if (/^readme\.md$/i.test(name)) return false;
  return /\.(md|markdown|jsonl)$/i.test(name);
}

/** Loads every article under `dir`; problems come back as issues, never as a throw (except an unreadable `dir`). */
export async function loadKnowledge(dir: string, options: { defaultLocale?: string } = {}): Promise<LoadedKnowledge> {
  const defaultLocale = options.defaultLocale ?? DEFAULT_LOCALE;
  const files = await knowledgeFiles(dir);
  const articles: Article[] = [];
  const issues: KbIssue[] = [];
  const admit = admission();
  for (const file of files) {
    const parsed = parseKnowledgeFile(file, relativeName(dir, file), await readFile(file, 'utf8'), defaultLocale);
    issues.push(...parsed.issues);
    for (const article of parsed.articles) {
      const clash = admit(article);
      if (clash) issues.push(clash);
      else articles.push(article);
    }
  }
  return { articles, issues, files: files.length };
}

/** The knowledge files under `dir` (absolute paths), sorted. */
export async function knowledgeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return (
    entries
      .filter((entry) => entry.isFile())
      // parentPath arrived in Node 20.12; `path` is its older name.
      .map((entry) => path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name))
      .filter((file) => isKnowledgeFile(path.relative(dir, file)))
      .sort()
  );
}

/** A file's path in the knowledge directory, `/`-separated (as articles' ids and the kept knowledge name it). */
export function relativeName(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

/** One knowledge file's articles and problems; `relative`: its path in the knowledge directory (`/`-separated). */
export function parseKnowledgeFile(file: string, relative: string, source: string, defaultLocale: string): { articles: Article[]; issues: KbIssue[] } {
  const { base, locale } = splitLocaleSuffix(relative.replace(/\.(md|markdown|jsonl)$/i, ''));
  return /\.jsonl$/i.test(file) ? parseFaqFile(file, source, defaultLocale, locale) : parseMarkdownArticle(file, base, source, defaultLocale, locale);
}

/**
 * Admits articles one by one: (locale, id) and each passage id once in a base. Returns the problem of an article that
 * takes either a second time (it is left out), nothing for one admitted.
 */
export function admission(): (article: Article) => KbIssue | undefined {
  /** `locale id` → the file that has it first. */
  const seen = new Map<string, string>();
  /** Passage id → its file: only an id spelt like a translation's (`a@de.md`) could take one twice. */
  const passageFiles = new Map<string, string>();
  return (article) => {
    const { file } = article;
    const line = article.passages[0]?.line ?? 1;
    const key = `${normalizeLocale(article.locale)} ${article.id}`;
    const first = seen.get(key);
    if (first !== undefined) return { file, line, message: `duplicate article id '${article.id}' in locale ${article.locale} (first in ${first})` };
    const taken = article.passages.find((p) => passageFiles.has(p.id));
    if (taken) return { file, line, message: `passage id '${taken.id}' is already used by ${passageFiles.get(taken.id)}: rename the file` };
    seen.set(key, file);
    for (const p of article.passages) passageFiles.set(p.id, file);
    return undefined;
  };
}

/**
 * One Markdown file → one article whose passages are its sections. `fileLocale` is the locale its name gives
 * (`x.de.md`), which the front matter's `locale` must agree with.
 */
export function parseMarkdownArticle(
  file: string,
  id: string,
  source: string,
  defaultLocale: string,
  fileLocale: string | null = null,
): { articles: Article[]; issues: KbIssue[] } {
  const front = parseFrontMatter(source, { fileLocale });
  if (!front.ok) return { articles: [], issues: front.problems.map((problem) => ({ file, ...problem })) };
  const { title, questions, tags } = front.data;
  const locale = front.data.locale ?? defaultLocale;
  const sections = splitSections(front.body, front.bodyLine);
  if (sections.length === 0) {
    return { articles: [], issues: [{ file, line: front.bodyLine, message: 'the article has no text after its front matter' }] };
  }
  const passages = sections.map((section, n) => ({
    id: passageId(id, locale, defaultLocale, n),
    articleId: id,
    title,
    heading: section.heading,
    questions,
    tags,
    locale,
    text: section.text,
    file,
    line: section.line,
  }));
  return { articles: [{ id, title, questions, tags, locale, file, passages }], issues: [] };
}
