/**
 * A gap's new knowledge article as a file (/admin/report/article?q=…&q=…): where to save it under KNOWLEDGE_DIR and
 * its text, with the customers' wordings as its questions, to copy, for teams that keep their knowledge in git.
 */
import { useEffect, useState } from 'react';
import * as api from './api.ts';

export function ArticlePage() {
  const [draft, setDraft] = useState<api.ArticleDraft>();
  const [error, setError] = useState('');
  useEffect(() => {
    const questions = new URLSearchParams(window.location.search).getAll('q');
    api.articleDraft(questions).then(setDraft, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <article className="article" aria-labelledby="article-title">
      <p><a href="/admin/report">← Back to the report</a></p>
      <h1 id="article-title" className="page-title">A new knowledge article</h1>
      {error ? <p role="alert" className="form-error">The article could not be made: {error}</p> : null}
      {draft ? (
        <>
          <p>Save this as <code id="article-path">{draft.path}</code> (any folder under the knowledge directory works), write the answer,
            check it with <code>npx parley kb check</code> and try it with <code>npx parley kb ask</code>. A running server picks the file up by itself.</p>
          <pre id="article-content" tabIndex={0} aria-label="The article's text">{draft.content}</pre>
        </>
      ) : null}
    </article>
  );
}
