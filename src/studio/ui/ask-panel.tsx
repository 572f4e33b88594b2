/**
 * "Try a question": what the drafts' knowledge base answers a customer's question (POST /studio/api/ask), with how
 * sure it is and the articles it ranked, best first. An editor sees whether the article they are writing wins before
 * publishing it; nothing is recorded as a knowledge gap.
 */
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { useState } from 'react';
import { ask, type AskAnswer } from './api.ts';

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** `pathOf` finds an article's file (an id is its path under knowledge/ without `.md`); FAQ entries have none. */
export function AskPanel({ onError, pathOf, onOpen }: { onError: (message: string) => void; pathOf: (id: string) => string | undefined; onOpen: (path: string) => void }) {
  const [question, setQuestion] = useState('');
  const [asked, setAsked] = useState<{ question: string; answer: AskAnswer }>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    const text = question.trim();
    if (!text || busy) return;
    setBusy(true);
    try {
      setAsked({ question: text, answer: await ask(text) });
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="ask" aria-label="Try a question">
      <Form className="chat-form top" onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <TextField className="chat-input" value={question} onChange={setQuestion} aria-label="A customer's question">
          <Label className="visually-hidden">Question</Label>
          <Input placeholder="Ask as a customer would…" autoComplete="off" />
        </TextField>
        <Button type="submit" className="button primary" isDisabled={busy || !question.trim()}>{busy ? 'Asking…' : 'Ask'}</Button>
      </Form>
      <div className="ask-result" aria-live="polite">
        {!asked ? <p className="empty-note">Ask what a customer would, and see which articles your drafts rank and what the bot answers.</p> : (
          <>
            <h3 className="ask-heading">The answer <span className={`confidence${asked.answer.answer === null ? ' low' : ''}`}>{percent(asked.answer.confidence)} sure</span></h3>
            {asked.answer.answer !== null
              ? <p className="bubble answer">{asked.answer.answer}</p>
              : <p className="bubble answer declined">No answer: not sure enough, so the bot says so and offers the closest articles and a person.</p>}
            {asked.answer.sources.length ? <p className="ask-sources">Source: {asked.answer.sources.join(', ')}</p> : null}
            <h3 className="ask-heading">Ranked articles</h3>
            {asked.answer.results.length === 0 ? <p className="empty-note">No article matches.</p> : (
              <ol className="ranked" aria-label="Ranked articles">
                {asked.answer.results.map((hit) => {
                  const path = pathOf(hit.id);
                  return (
                  <li key={hit.id}>
                    <div className="ranked-head">
                      {path ? <button type="button" className="link" onClick={() => onOpen(path)} title={`Open ${path}`}>{hit.title}</button> : <span className="ranked-title">{hit.title}</span>}
                      <span className="score">score {hit.score.toFixed(2)}</span>
                    </div>
                    <p className="passage">{hit.passage}</p>
                  </li>
                  );
                })}
              </ol>
            )}
          </>
        )}
      </div>
    </section>
  );
}
