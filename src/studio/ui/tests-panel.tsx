/**
 * The conversation tests, run on the drafts from the page (POST /studio/api/tests), as `parley flows test` runs
 * them: every test file, or the one open. A failed test shows the turn that went otherwise, what the customer did
 * there and what differs, each a link to its line in the test file.
 */
import { Button } from 'react-aria-components';
import { useState } from 'react';
import { runTests, type TestFileOutcome } from './api.ts';

export function TestsPanel({ openTest, onError, onPick }: { openTest: string | undefined; onError: (message: string) => void; onPick: (path: string, line: number) => void }) {
  const [outcomes, setOutcomes] = useState<{ scope: string; files: TestFileOutcome[] }>();
  const [busy, setBusy] = useState(false);

  async function run(path?: string) {
    setBusy(true);
    try {
      setOutcomes({ scope: path ?? 'all', files: await runTests(path) });
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const tests = outcomes?.files.flatMap((file) => file.tests) ?? [];
  const failed = tests.filter((test) => test.failure).length;
  const broken = outcomes?.files.filter((file) => file.problems.length > 0).length ?? 0;
  return (
    <section className="tests" aria-label="Conversation tests">
      <div className="preview-bar">
        <p className="preview-note">Replays the conversation tests on your drafts.</p>
        {openTest ? <Button className="button quiet" isDisabled={busy} onPress={() => void run(openTest)}>Run this file</Button> : null}
        <Button className="button primary" isDisabled={busy} onPress={() => void run()}>{busy ? 'Running…' : 'Run all tests'}</Button>
      </div>
      <div className="test-results" aria-live="polite">
        {!outcomes ? <p className="empty-note">{busy ? 'Running the tests…' : 'Run the tests to see whether your drafts still answer as the tests expect.'}</p> : (
          <>
            <p className={`test-summary${failed || broken ? ' failed' : ' passed'}`} role="status">
              {tests.length - failed} passed, {failed} failed{broken ? `, ${broken} file${broken === 1 ? '' : 's'} could not run` : ''}
            </p>
            <ul className="test-files">
              {outcomes.files.map((file) => (
                <li key={file.file}>
                  <h3 className="test-file">{file.file.replace(/^flows\//, '')}</h3>
                  {file.problems.map((problem, i) => (
                    <p key={i} className="test-problem">
                      <button type="button" className="problem-where" onClick={() => onPick(studioPath(problem.file, file.file), problem.line)}>{problem.line}:{problem.col}</button> {problem.message}
                    </p>
                  ))}
                  <ul className="test-list">
                    {file.tests.map((test) => (
                      <li key={test.name} className={`test ${test.failure ? 'failed' : 'passed'}`}>
                        <span className="test-mark" aria-hidden="true">{test.failure ? '✕' : '✓'}</span>
                        <span className="visually-hidden">{test.failure ? 'Failed: ' : 'Passed: '}</span>
                        <span className="test-name">{test.name}</span>
                        {test.failure ? (
                          <div className="test-failure">
                            <p>
                              Turn {test.failure.turn} (<code>{test.failure.action}</code>) at{' '}
                              <button type="button" className="problem-where" onClick={() => onPick(file.file, test.failure!.line)}>line {test.failure.line}</button>
                            </p>
                            <pre className="diff">{test.failure.differences.join('\n')}</pre>
                          </div>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

/** A problem's file as a studio path: the test file's own, unless it names a flow. */
function studioPath(problemFile: string, testFile: string): string {
  return problemFile.startsWith('flows/') || problemFile.startsWith('knowledge/') ? problemFile : testFile;
}
