/**
 * The call steps' recorded answers, in the preview's sample answers: per endpoint, when its latest real answer was
 * recorded, its size, the drafts' call steps that use it, and the answer itself (masked); an editor clears one that is
 * out of date, or all of them (asked first). The next customer's call records the endpoint again.
 */
import { Button } from 'react-aria-components';
import { useState } from 'react';
import { clearRecorded, recordedAnswers, type RecordedEntry } from './api.ts';
import { age } from './call-source.ts';

const size = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`);

export function RecordedAnswers({ onError }: { onError: (message: string) => void }) {
  const [entries, setEntries] = useState<RecordedEntry[]>();
  const [confirmAll, setConfirmAll] = useState(false);
  const [status, setStatus] = useState('');
  const failed = (error: unknown) => onError(error instanceof Error ? error.message : String(error));
  const load = () => recordedAnswers().then(setEntries, failed);
  const clear = async (endpoint?: string) => {
    try {
      const cleared = await clearRecorded(endpoint);
      setStatus(endpoint === undefined ? `Cleared ${cleared} recorded answer${cleared === 1 ? '' : 's'}.` : `Cleared the recorded answer of ${endpoint}.`);
      setConfirmAll(false);
      await load();
    } catch (error) {
      failed(error);
    }
  };
  const recorded = entries?.filter((entry) => entry.recorded) ?? [];
  return (
    <details className="recorded" onToggle={(event) => { if (event.currentTarget.open) void load(); }}>
      <summary>Recorded answers</summary>
      <p className="dialog-text">What a call step gets without a sample: its endpoint's latest real answer, masked. Clear one that is out of date; the next customer's call records it again.</p>
      {entries === undefined ? <p className="empty-note">Loading…</p> : entries.length === 0 ? <p className="empty-note">No call steps in your drafts, and nothing recorded.</p> : (
        <ul className="recorded-list" aria-label="Recorded answers by endpoint">
          {entries.map((entry) => (
            <li key={entry.endpoint} className="recorded-item" aria-label={entry.endpoint}>
              <div className="recorded-head">
                <code>{entry.endpoint}</code>
                <span className="recorded-when">{entry.recorded ? `recorded ${age(Date.now() - Date.parse(entry.recorded.at))} · ${size(entry.recorded.bytes)}` : 'nothing recorded'}</span>
                {entry.recorded ? <Button className="button quiet small" onPress={() => void clear(entry.endpoint)} aria-label={`Clear the recorded answer of ${entry.endpoint}`}>Clear</Button> : null}
              </div>
              <p className="recorded-steps">{entry.steps.length ? `Call step${entry.steps.length === 1 ? '' : 's'}: ${entry.steps.map((s) => `${s.flow} › ${s.step}`).join(', ')}` : 'No call step in your drafts uses it.'}</p>
              {entry.recorded ? (
                <details className="recorded-data">
                  <summary>The answer</summary>
                  <pre>{JSON.stringify(entry.recorded.data, null, 2)}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {recorded.length > 1 ? (confirmAll ? (
        <div className="recorded-confirm" role="group" aria-label="Clear every recorded answer">
          <span>Clear all {recorded.length} recorded answers?</span>
          <Button className="button danger small" onPress={() => void clear()}>Clear all</Button>
          <Button className="button quiet small" onPress={() => setConfirmAll(false)}>Cancel</Button>
        </div>
      ) : <Button className="button quiet small" onPress={() => setConfirmAll(true)}>Clear all…</Button>) : null}
      <p className="visually-hidden" role="status">{status}</p>
    </details>
  );
}
