/**
 * "Try a question": what the drafts' knowledge base answers a customer's question (POST /studio/api/ask), with how
 * sure it is and the articles it ranked, best first. An editor sees whether the article they are writing wins before
 * publishing it; nothing is recorded as a knowledge gap. Before a question, the questions customers asked that the
 * knowledge base could not answer (masked), each one to try or to write the article for.
 */
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { useEffect, useState } from 'react';
import { ask, draftArticle, listGaps, type AskAnswer, type Gap } from './api.ts';

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** `pathOf` finds an article's file (an id is its path under knowledge/ without `.md`); FAQ entries have none. */
export function AskPanel({ onError, pathOf, onOpen, onDrafted }: {
  onError: (message: string) => void;
  pathOf: (id: string) => string | undefined;
  onOpen: (path: string) => void;
  /** A new draft article was made (the file list changes). */
  onDrafted: (path: string) => void;
}) {
  const [question, setQuestion] = useState('');
  const [asked, setAsked] = useState<{ question: string; answer: AskAnswer }>();
  const [busy, setBusy] = useState(false);
  const [gaps, setGaps] = useState<Gap[]>();

  useEffect(() => {
    listGaps().then(setGaps).catch(() => setGaps([]));
  }, []);

  async function write(gap: Gap) {
    try {
      const { path } = await draftArticle([gap.question, ...gap.examples].slice(0, 4));
      onDrafted(path);
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  }

  async function submit(wanted = question) {
    const text = wanted.trim();
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
        {!asked ? (
          <>
            <p className="empty-note">Ask what a customer would, and see which articles your drafts rank and what the bot answers.</p>
            {gaps?.length ? (
              <>
                <h3 className="ask-heading">Customers asked, and got no answer</h3>
                <ul className="gaps" aria-label="Unanswered questions">
                  {gaps.slice(0, 20).map((gap) => (
                    <li key={gap.question}>
                      <span className="gap-count" title={`Asked ${gap.count} times`}>{gap.count}×</span>
                      <span className="gap-question">{gap.question}{gap.examples.length ? <span className="gap-examples"> · {gap.examples.join(' · ')}</span> : null}</span>
                      <span className="gap-actions">
                        <Button className="button quiet small" onPress={() => { setQuestion(gap.question); void submit(gap.question); }} aria-label={`Try “${gap.question}”`}>Try</Button>
                        <Button className="button small" onPress={() => void write(gap)} aria-label={`Write the article for “${gap.question}”`}>Write the article</Button>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : (
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
