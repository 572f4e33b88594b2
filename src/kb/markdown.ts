/**
 * Splits a Markdown body into passages at its headings and turns each into plain text for answers.
 * Headings inside fenced code blocks are not headings. A heading with no text under it before the next one
 * becomes part of that next section's heading path ("Returns › Opened items").
 */

export interface Section {
  /** Heading path below the article title, or null for text before the first heading. */
  heading: string | null;
  /** Plain text of the section. */
  text: string;
  /** 1-based line in the file where the section starts. */
  line: number;
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const FENCE = /^\s*(```|~~~)/;
/** Text in which no markup can start: one line, none of * _ ` [ < > | \\ ~ +. */
const PLAIN = /^[^\n\r*_`[<>|\\~+]*$/;

/** Sections of a Markdown body whose first line is line `firstLine` of its file. Empty sections are dropped. */
export function splitSections(body: string, firstLine: number): Section[] {
  const lines = body.split(/\r?\n/);
  const sections: Section[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: { heading: string | null; line: number; lines: string[] } = { heading: null, line: firstLine, lines: [] };
  let inFence = false;

  const flush = () => {
    const text = toPlainText(current.lines.join('\n'));
    if (text.length > 0) sections.push({ heading: current.heading, text, line: current.line });
  };

  lines.forEach((raw, i) => {
    if (FENCE.test(raw)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(raw);
    if (!match) {
      current.lines.push(raw);
      return;
    }
    flush();
    const level = match[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.level >= level) stack.pop();
    stack.push({ level, text: inline(match[2]!) });
    // A level-1 heading repeats the article title: it does not name a section.
    const path = stack.filter((entry) => entry.level > 1).map((entry) => entry.text);
    current = { heading: path.length > 0 ? path.join(' › ') : null, line: firstLine + i, lines: [] };
  });
  flush();
  return sections;
}

/** Markdown block text → plain text: markup dropped, links kept as "text (url)", list items on their own lines. */
export function toPlainText(markdown: string): string {
  // One line without any markup character is its own plain text (most FAQ answers: a base of 100,000 loads faster).
  if (PLAIN.test(markdown) && !/^\s*[-:]/.test(markdown)) return markdown.trim();
  const out: string[] = [];
  let inFence = false;
  let joinable = false;
  for (const raw of markdown.split('\n')) {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      joinable = false;
      continue;
    }
    if (inFence) {
      out.push(raw.replace(/\s+$/, ''));
      continue;
    }
    let line = raw.replace(/\s+$/, '');
    if (/^\s*([-*_]\s*){3,}$/.test(line)) continue; // thematic break
    if (/^\s*\|?\s*:?-{3,}/.test(line)) continue; // table delimiter row
    line = line.replace(/^\s*>\s?/, ''); // block quote
    line = line.replace(/^(\s*)[*+]\s+/, '$1- '); // bullets as "- "
    line = line.replace(/^\s*\|(.*)\|\s*$/, (_, cells: string) => cells.split('|').map((c) => c.trim()).join(' · '));
    const previous = out.at(-1);
    // Hard-wrapped lines of one paragraph (or list item) are one line in a chat message.
    if (joinable && previous && line.trim() !== '' && !/^\s*(- |\d+[.)] )/.test(line) && !previous.includes(' · ')) {
      out[out.length - 1] = `${previous} ${inline(line.trim())}`;
      continue;
    }
    out.push(inline(line));
    joinable = line.trim() !== '';
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Inline markup → text. */
function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: alt text
    .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<([a-z]+:[^>\s]+)>/gi, '$1') // autolinks
    .replace(/<\/?[a-z][^>]*>/gi, '') // inline HTML tags
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
}
