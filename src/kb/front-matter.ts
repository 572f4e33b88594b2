/**
 * YAML front matter of a Markdown article: `---` on the first line, YAML, `---`. Every problem is reported at its
 * line in the file, so an editor can jump to it.
 */
import { suggest } from '../engine/describe-issues.ts';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { LOCALE_TAG, LOCALE_TAG_MESSAGE, localeDisagrees, sameLocale } from './locale-suffix.ts';

export const FrontMatterSchema = z.strictObject({
  title: z.string().trim().min(1),
  questions: z.array(z.string().trim().min(1)).default([]),
  tags: z.array(z.string().trim().min(1)).default([]),
  locale: z.string().regex(LOCALE_TAG, LOCALE_TAG_MESSAGE).optional(),
});

export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export type FrontMatterResult =
  | { ok: true; data: FrontMatter; /** 1-based line where the Markdown body starts. */ bodyLine: number; body: string }
  | { ok: false; problems: Array<{ line: number; message: string }> };

const FIELD_NAMES = ['title', 'questions', 'tags', 'locale'];
const FIELDS = FIELD_NAMES.join(', ');

/**
 * Splits a Markdown file into its front matter (validated) and its body. `fileLocale` is the locale the file's
 * name gives (`x.de.md`): a `locale` field must agree with it, and `data.locale` is it.
 */
export function parseFrontMatter(source: string, options: { fileLocale?: string | null } = {}): FrontMatterResult {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    return { ok: false, problems: [{ line: 1, message: `missing front matter: start the file with '---', then ${FIELDS} in YAML, then '---'` }] };
  }
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) return { ok: false, problems: [{ line: 1, message: "front matter is not closed: add a line '---' after it" }] };

  const yamlText = lines.slice(1, end).join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  const lineAt = (offset: number) => counter.linePos(offset).line + 1; // +1: the opening '---'
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((error) => ({ line: lineAt(error.pos[0]), message: `YAML: ${firstLine(error.message)}` })) };
  }
  const parsed = FrontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const hint = suggest(key, FIELD_NAMES);
          return { line: lineOfKey(doc, key, lineAt), message: `unknown field '${key}' (${hint ? `did you mean '${hint}'? ` : ''}front matter fields: ${FIELDS})` };
        });
      }
      const field = issue.path.map(String).join('.');
      const missing = issue.code === 'invalid_type' && valueAt(doc, issue.path) === undefined;
      return [{
        line: missing ? 1 : lineOfPath(doc, issue.path, lineAt),
        message: missing ? `missing required field '${field}'` : `'${field}' ${describe(issue)}`,
      }];
    });
    return { ok: false, problems };
  }
  const { fileLocale } = options;
  if (fileLocale && parsed.data.locale && !sameLocale(parsed.data.locale, fileLocale)) {
    return { ok: false, problems: [{ line: lineOfKey(doc, 'locale', lineAt), message: localeDisagrees(parsed.data.locale, fileLocale) }] };
  }
  const data = fileLocale ? { ...parsed.data, locale: fileLocale } : parsed.data;
  return { ok: true, data, bodyLine: end + 2, body: lines.slice(end + 1).join('\n') };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  if (issue.code === 'too_small') return 'must not be empty';
  return issue.message;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function valueAt(doc: Document, path: readonly PropertyKey[]): unknown {
  return doc.getIn(path as unknown[]);
}

function lineOfPath(doc: Document, path: readonly PropertyKey[], lineAt: (offset: number) => number): number {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineAt(node.range[0]);
  }
  return 1;
}

function lineOfKey(doc: Document, key: string, lineAt: (offset: number) => number): number {
  if (!isMap(doc.contents)) return 1;
  const pair = doc.contents.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
  const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
  return range ? lineAt(range[0]) : 1;
}
