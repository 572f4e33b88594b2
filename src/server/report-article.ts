/**
 * "Write the article" for a knowledge gap: a new Markdown article with the customers' wordings as its `questions`
 * (they help retrieval find it), a file name, and where to save it. The report's article page shows it as text to copy
 * (GET /admin/api/report/article); the studio opens it as a draft.
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

/** Where to save the article: under KNOWLEDGE_DIR, relative to the working directory when it is inside it. */
export function articlePath(draft: ArticleDraft, knowledgeDir: string): string {
  const relative = path.relative(process.cwd(), knowledgeDir);
  const dir = relative && !relative.startsWith('..') ? relative : knowledgeDir;
  return path.join(dir, draft.fileName);
}
