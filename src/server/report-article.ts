/**
 * "Write the article" for a knowledge gap: a new Markdown article with the customers' wordings as its `questions`
 * (they help retrieval find it), a file name, and where to save it. Rendered on the server as plain HTML, every
 * value escaped, no script: the page only shows text to copy.
 */
import path from 'node:path';

export interface ArticleDraft {
  fileName: string;
  content: string;
}

export function articleDraft(questions: readonly string[]): ArticleDraft {
  const [first = 'New article'] = questions;
  const slug = first.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'new-article';
  const yamlString = (value: string) => JSON.stringify(value.replace(/\s+/g, ' ').trim());
  const content = [
    '---',
    `title: ${yamlString(first.replace(/\?+$/, ''))}`,
    'questions:',
    ...questions.map((q) => `  - ${yamlString(q)}`),
    'tags: []',
    '---',
    'Answer the question here, in the first sentences; one topic per `##` section.',
    '',
  ].join('\n');
  return { fileName: `${slug}.md`, content };
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function articlePage(draft: ArticleDraft, knowledgeDir: string): string {
  const relative = path.relative(process.cwd(), knowledgeDir);
  const dir = relative && !relative.startsWith('..') ? relative : knowledgeDir;
  const target = path.join(dir, draft.fileName);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Parley · new article</title>
  <link rel="stylesheet" href="/admin/report.css">
</head>
<body>
  <header><strong>Parley</strong> · new knowledge article <a href="/admin/report">back to the report</a></header>
  <main class="article">
    <p>Save this as <code id="article-path">${escape(target)}</code> (any folder under the knowledge directory works), write the answer,
    check it with <code>npx parley kb check</code> and try it with <code>npx parley kb ask</code>. A running server picks the file up by itself.</p>
    <pre id="article-content">${escape(draft.content)}</pre>
  </main>
</body>
</html>
`;
}
