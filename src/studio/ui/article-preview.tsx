/**
 * A knowledge article as customers' answers will read it: its front matter's title and questions, and its Markdown
 * rendered by marked and sanitized by DOMPurify. HTML written in an article is shown as the text it is (customers
 * get answers as text, not HTML), and DOMPurify then makes sure nothing that runs or loads survives: an article is
 * anyone's text. Nothing may load from elsewhere (the page's CSP forbids it), so images show as their description,
 * and links open in a new tab. `{{opening_hours}}` reads as customers get it: OPENING_HOURS in words, in the
 * article's language, marked so the editor sees it comes from the setting.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';
import { parse as parseYaml } from 'yaml';
import type { Placeholders } from './api.ts';

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    image({ text }) {
      return `<span class="md-image">[image: ${escapeHtml(text || 'no description')}]</span>`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markdown to HTML that holds no script, style, form or anything loaded from elsewhere. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id', 'srcset'],
  });
}

interface FrontMatter { title?: unknown; questions?: unknown; tags?: unknown; locale?: unknown }

const OPENING_HOURS = /\{\{\s*opening_hours\s*\}\}/g;
/** Stands for the hours while the Markdown is rendered and sanitized; the marked hours replace it after. */
const HOURS_TOKEN = 'PARLEYOPENINGHOURS7F3A';

/** The article's language as the knowledge base reads it: the front matter's, else the file name's (`x.de.md`), else en. */
function languageOf(meta: FrontMatter, path: string): 'en' | 'de' {
  const locale = typeof meta.locale === 'string' ? meta.locale : /\.([a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.(?:md|markdown)$/i.exec(path)?.[1] ?? 'en';
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The body rendered, {{opening_hours}} filled with the hours in the article's language (once they have loaded). */
function renderBody(body: string, hours: string | undefined): string {
  if (hours === undefined) return renderMarkdown(body);
  const html = renderMarkdown(body.replace(OPENING_HOURS, HOURS_TOKEN));
  return html.split(HOURS_TOKEN).join(`<mark class="placeholder" title="{{opening_hours}}: OPENING_HOURS">${escapeHtml(hours)}</mark>`);
}

/** The front matter (`---` YAML `---`) and the Markdown after it; a front matter that does not parse is shown as text. */
function split(source: string): { meta: FrontMatter; body: string; broken: boolean } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return { meta: {}, body: source, broken: false };
  try {
    const meta = parseYaml(match[1]!) as unknown;
    return { meta: typeof meta === 'object' && meta !== null ? (meta as FrontMatter) : {}, body: source.slice(match[0].length), broken: false };
  } catch {
    return { meta: {}, body: source, broken: true };
  }
}

const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function ArticlePreview({ source, path, placeholders }: { source: string; path: string; placeholders: Placeholders | undefined }) {
  const { meta, html, broken } = useMemo(() => {
    const parts = split(source);
    const hours = placeholders?.opening_hours[languageOf(parts.meta, path)];
    return { meta: parts.meta, html: renderBody(parts.body, hours), broken: parts.broken };
  }, [source, path, placeholders]);
  const questions = texts(meta.questions);
  const tags = texts(meta.tags);
  return (
    <article className="article-preview" aria-label="The article, rendered">
      {broken ? <p className="map-stale" role="status">The front matter does not read as YAML yet.</p> : null}
      {typeof meta.title === 'string' ? <h1 className="article-title">{meta.title}</h1> : null}
      {questions.length || tags.length ? (
        <div className="article-meta">
          {questions.length ? <p><strong>Answers questions like</strong> {questions.map((q) => `“${q}”`).join(' · ')}</p> : null}
          {tags.length ? <p className="article-tags">{tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</p> : null}
        </div>
      ) : null}
      <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  );
}
