/**
 * Articles as flat columns (one string of all their texts and typed arrays of numbers), the form the kept knowledge
 * (kept-knowledge.ts) stores them in: at 100,000 passages, making the articles back from these takes a fraction of
 * parsing the files again or of JSON.parse on the same articles.
 */
import type { Article, Passage } from './types.ts';

export interface ArticleColumns {
  /** Every string, one after another; string i is text[starts[i]] .. text[starts[i + 1]] - 1 (UTF-16 offsets). */
  text: string;
  starts: Int32Array;
  /** Per article: id, title, locale, its questions and tags (ranges of `lists`), its passages (a range of passages). */
  articles: Int32Array;
  /** Strings of the articles' questions and tags, by string number. */
  lists: Int32Array;
  /** Per passage: id, heading (-1: none), text, line. */
  passages: Int32Array;
}

const ARTICLE = 9;
const PASSAGE = 4;

/**
 * The columns of `articles`, or null when a passage does not share its article's title, questions, tags, locale or
 * file (every parser's passages do; anything else is not kept, only parsed).
 */
export function toColumns(articles: readonly Article[]): ArticleColumns | null {
  const strings: string[] = [];
  const starts = [0];
  let length = 0;
  const string = (s: string) => {
    strings.push(s);
    starts.push((length += s.length));
    return strings.length - 1;
  };
  const rows: number[] = [];
  const lists: number[] = [];
  const passages: number[] = [];
  for (const a of articles) {
    if (!a.passages.every((p) => sharesArticle(p, a))) return null;
    const questionsFrom = lists.length;
    for (const q of a.questions) lists.push(string(q));
    const tagsFrom = lists.length;
    for (const t of a.tags) lists.push(string(t));
    rows.push(string(a.id), string(a.title), string(a.locale), questionsFrom, tagsFrom, lists.length, passages.length / PASSAGE);
    for (const p of a.passages) passages.push(string(p.id), p.heading === null ? -1 : string(p.heading), string(p.text), p.line);
    rows.push(passages.length / PASSAGE, 0);
  }
  return { text: strings.join(''), starts: new Int32Array(starts), articles: new Int32Array(rows), lists: new Int32Array(lists), passages: new Int32Array(passages) };
}

/** The articles `from` .. `to` - 1 of the columns, their file being `file`. */
export function fromColumns(c: ArticleColumns, from: number, to: number, file: string): Article[] {
  const { text, starts, articles: rows, lists, passages: cells } = c;
  const string = (i: number) => text.slice(starts[i]!, starts[i + 1]!);
  // One string per locale, not one per article (100,000 copies of "en").
  const locales = new Map<string, string>();
  const oneLocale = (i: number) => {
    const s = string(i);
    const known = locales.get(s);
    if (known !== undefined) return known;
    locales.set(s, s);
    return s;
  };
  const list = (a: number, b: number) => {
    const out: string[] = [];
    for (let k = a; k < b; k++) out.push(string(lists[k]!));
    return out;
  };
  const out: Article[] = [];
  for (let r = from * ARTICLE; r < to * ARTICLE; r += ARTICLE) {
    const id = string(rows[r]!);
    const title = string(rows[r + 1]!);
    const locale = oneLocale(rows[r + 2]!);
    const questions = list(rows[r + 3]!, rows[r + 4]!);
    const tags = list(rows[r + 4]!, rows[r + 5]!);
    const passages: Passage[] = [];
    for (let p = rows[r + 6]! * PASSAGE; p < rows[r + 7]! * PASSAGE; p += PASSAGE) {
      const heading = cells[p + 1]!;
      passages.push({ id: string(cells[p]!), articleId: id, title, heading: heading < 0 ? null : string(heading), questions, tags, locale, text: string(cells[p + 2]!), file, line: cells[p + 3]! });
    }
    out.push({ id, title, questions, tags, locale, file, passages });
  }
  return out;
}

function sharesArticle(p: Passage, a: Article): boolean {
  return p.articleId === a.id && p.title === a.title && p.locale === a.locale && p.file === a.file && sameStrings(p.questions, a.questions) && sameStrings(p.tags, a.tags);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((s, i) => s === b[i]));
}
