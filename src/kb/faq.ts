/**
 * FAQ files in JSON Lines: one `{"id", "title", "answer", "questions"?}` object per line (optionally `tags` and
 * `locale`). Blank lines and lines starting with `//` are skipped. Each entry is one article with one passage.
 * A translated file (`faq.de.jsonl`) gives its entries its locale and uses the original's ids.
 */
import { z } from 'zod';
import { LOCALE_TAG, LOCALE_TAG_MESSAGE, localeDisagrees, passageId, sameLocale } from './locale-suffix.ts';
import { toPlainText } from './markdown.ts';
import type { Article, KbIssue } from './types.ts';

const FaqEntrySchema = z.strictObject({
  id: z.string().trim().min(1).regex(/^[\w./-]+$/, 'may only hold letters, digits and . _ / -'),
  title: z.string().trim().min(1),
  answer: z.string().trim().min(1),
  questions: z.array(z.string().trim().min(1)).default([]),
  tags: z.array(z.string().trim().min(1)).default([]),
  locale: z.string().regex(LOCALE_TAG, LOCALE_TAG_MESSAGE).optional(),
});

/**
 * Parses one FAQ file; entries with a problem are left out and reported at their line. `fileLocale` is the locale
 * the file's name gives (`faq.de.jsonl`); an entry's own `locale` must agree with it.
 */
export function parseFaqFile(
  file: string,
  source: string,
  defaultLocale: string,
  fileLocale: string | null = null,
): { articles: Article[]; issues: KbIssue[] } {
  const articles: Article[] = [];
  const issues: KbIssue[] = [];
  source
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      const text = raw.trim();
      if (text === '' || text.startsWith('//')) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        issues.push({ file, line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      let entry = plainEntry(value);
      if (!entry) {
        const parsed = FaqEntrySchema.safeParse(value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) issues.push({ file, line, message: describe(issue, value) });
          return;
        }
        entry = parsed.data;
      }
      if (fileLocale && entry.locale && !sameLocale(entry.locale, fileLocale)) {
        issues.push({ file, line, message: localeDisagrees(entry.locale, fileLocale) });
        return;
      }
      const locale = fileLocale ?? entry.locale ?? defaultLocale;
      articles.push({
        id: entry.id,
        title: entry.title,
        questions: entry.questions,
        tags: entry.tags,
        locale,
        file,
        passages: [
          {
            id: passageId(entry.id, locale, defaultLocale, 0),
            articleId: entry.id,
            title: entry.title,
            heading: null,
            questions: entry.questions,
            tags: entry.tags,
            locale,
            text: toPlainText(entry.answer),
            file,
            line,
          },
        ],
      });
    });
  return { articles, issues };
}

type FaqEntry = z.infer<typeof FaqEntrySchema>;
const FIELDS = new Set(['id', 'title', 'answer', 'questions', 'tags', 'locale']);
const ID = /^[\w./-]+$/;

/**
 * The entry FaqEntrySchema would give for a well-formed line, checked by hand; undefined for anything else, which
 * the schema then reads and explains. A file of 100,000 entries took seconds through the schema alone.
 */
function plainEntry(value: unknown): FaqEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const key in v) if (!FIELDS.has(key)) return undefined;
  const id = trimmed(v.id);
  const title = trimmed(v.title);
  const answer = trimmed(v.answer);
  const questions = v.questions === undefined ? [] : trimmedList(v.questions);
  const tags = v.tags === undefined ? [] : trimmedList(v.tags);
  if (!id || !ID.test(id) || !title || !answer || !questions || !tags) return undefined;
  if (v.locale !== undefined && (typeof v.locale !== 'string' || !LOCALE_TAG.test(v.locale))) return undefined;
  return { id, title, answer, questions, tags, ...(v.locale !== undefined ? { locale: v.locale as string } : {}) };
}

/** A non-empty string, trimmed, or undefined. */
function trimmed(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

function trimmedList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const text = trimmed(item);
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'each line must be one JSON object {"id", "title", "answer", "questions"?}';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (fields: id, title, answer, questions, tags, locale)`;
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && (value as Record<string, unknown>)[String(issue.path[0])] === undefined) return `missing required field '${field}'`;
  if (issue.code === 'invalid_type') return `'${field}' must be ${issue.expected === 'array' ? 'a list of strings' : `a ${issue.expected}`}`;
  if (issue.code === 'too_small') return `'${field}' must not be empty`;
  return `'${field}' ${issue.message}`;
}
