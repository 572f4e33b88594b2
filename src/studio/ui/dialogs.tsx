/**
 * The studio's dialogs, on React Aria's modal (focus kept inside, Escape closes, focus returns to what opened it):
 * publishing every draft as a release, the history of releases with restore, drafting a file's removal, and a save
 * conflict with both texts.
 */
import { Button, Dialog, Heading, Input, Label, Modal, ModalOverlay, TextField } from 'react-aria-components';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { listReleases, publish, releaseContent, restore, type Problem, type Release } from './api.ts';

function Shell({ title, open, onClose, children, wide }: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <ModalOverlay className="overlay" isOpen={open} onOpenChange={(isOpen) => !isOpen && onClose()} isDismissable>
      <Modal className={`modal${wide ? ' wide' : ''}`}>
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{title}</Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export function ProblemList({ problems, onPick }: { problems: readonly Problem[]; onPick?: (problem: Problem) => void }) {
  return (
    <ul className="problem-list">
      {problems.map((problem, i) => (
        <li key={i} className={`problem ${problem.severity}`}>
          <span className="severity">{problem.severity}</span>
          {onPick ? (
            <button type="button" className="problem-where" onClick={() => onPick(problem)}>{problem.path ? `${problem.path}:` : 'line '}{problem.line}:{problem.col}</button>
          ) : <span className="problem-where">{problem.path ? `${problem.path}:` : 'line '}{problem.line}:{problem.col}</span>}
          <span className="problem-message">{problem.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function PublishDialog({ open, onClose, onPublished, onPick }: { open: boolean; onClose: () => void; onPublished: (release: number) => void; onPick: (problem: Problem) => void }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ problems: Problem[] }>();
  useEffect(() => {
    if (open) setRefusal(undefined);
  }, [open]);
  async function submit() {
    setBusy(true);
    try {
      const result = await publish(message.trim());
      if (result.kind === 'published') {
        setMessage('');
        onPublished(result.release);
      } else setRefusal(result);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Shell title="Publish every draft" open={open} onClose={onClose} wide={refusal !== undefined}>
      <p className="dialog-text">Customers get the new release at once. Conversations finish the flow they are in with the release they started it with.</p>
      <TextField className="field" value={message} onChange={setMessage} autoFocus>
        <Label>What changed</Label>
        <Input placeholder="e.g. Returns: opened items, new wording" />
      </TextField>
      {refusal ? (
        <Refusal problems={refusal.problems} onPick={(problem) => { onClose(); onPick(problem); }} />
      ) : null}
      <div className="dialog-actions">
        <Button className="button" onPress={onClose}>Cancel</Button>
        <Button className="button primary" isDisabled={busy || !message.trim()} onPress={() => void submit()}>{busy ? 'Publishing…' : 'Publish'}</Button>
      </div>
    </Shell>
  );
}

/** Why a publish was refused: the errors, each a link to its line; the warnings folded away, since they do not stop it. */
function Refusal({ problems, onPick }: { problems: readonly Problem[]; onPick: (problem: Problem) => void }) {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  return (
    <div className="refusal" role="alert">
      <p><strong>Not published:</strong> {errors.length} error{errors.length === 1 ? '' : 's'} to fix first.</p>
      <ProblemList problems={errors} onPick={onPick} />
      {warnings.length ? (
        <details>
          <summary>{warnings.length} warning{warnings.length === 1 ? '' : 's'}, which do not stop a publish</summary>
          <ProblemList problems={warnings} onPick={onPick} />
        </details>
      ) : null}
    </div>
  );
}

export function HistoryDialog({ open, onClose, onRestored }: { open: boolean; onClose: () => void; onRestored: (release: number) => void }) {
  const [releases, setReleases] = useState<Release[]>();
  const [busy, setBusy] = useState<number>();
  const [shown, setShown] = useState<number>();
  useEffect(() => {
    if (open) void listReleases().then(setReleases);
    if (!open) setShown(undefined);
  }, [open]);
  async function restoreOne(release: number) {
    setBusy(release);
    try {
      onRestored(await restore(release));
    } finally {
      setBusy(undefined);
    }
  }
  return (
    <Shell title="Releases" open={open} onClose={onClose} wide>
      <p className="dialog-text">Restoring a release publishes its content again as a new release; nothing is lost.</p>
      {releases === undefined ? <p className="empty-note">Loading…</p> : (
        <table className="releases">
          <thead><tr><th scope="col">Release</th><th scope="col">When</th><th scope="col">By</th><th scope="col">Message</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {releases.map((release, i) => (
              <tr key={release.release}>
                <td>#{release.release}{i === 0 ? <span className="badge">live</span> : null}</td>
                <td>{new Date(release.at).toLocaleString()}</td>
                <td>{release.by}</td>
                <td>{release.message}</td>
                <td>
                  {releases[i + 1] && (release.changed?.length ?? 0) > 0 ? (
                    <Button className="button small quiet" onPress={() => setShown(shown === release.release ? undefined : release.release)} aria-expanded={shown === release.release}
                      aria-label={`Changes in release ${release.release}`}>Changes</Button>
                  ) : null}
                  {i === 0 ? null : <Button className="button small" isDisabled={busy !== undefined} onPress={() => void restoreOne(release.release)} aria-label={`Restore release ${release.release}`}>{busy === release.release ? 'Restoring…' : 'Restore'}</Button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown !== undefined && releases ? <ReleaseChanges release={releases.find((r) => r.release === shown)!} before={releases[releases.findIndex((r) => r.release === shown) + 1]!} /> : null}
      <div className="dialog-actions"><Button className="button" onPress={onClose}>Close</Button></div>
    </Shell>
  );
}

/** What a release changed against the one before it: each changed file before and after, the differing lines marked. */
function ReleaseChanges({ release, before }: { release: Release; before: Release }) {
  const [texts, setTexts] = useState<{ after: Record<string, string>; before: Record<string, string> }>();
  useEffect(() => {
    setTexts(undefined);
    void Promise.all([releaseContent(release.release), releaseContent(before.release)]).then(([after, earlier]) => setTexts({ after, before: earlier }));
  }, [release.release, before.release]);
  if (!texts) return <p className="empty-note">Loading the changes…</p>;
  return (
    <section className="release-changes" aria-label={`Changes in release ${release.release}`}>
      {(release.changed ?? []).map((path) => (
        <div key={path} className="compare">
          <section aria-label={`${path} in release ${before.release}`}><h3>{path}, release #{before.release}</h3><Marked text={texts.before[path] ?? '(no such file)'} other={texts.after[path] ?? ''} /></section>
          <section aria-label={`${path} in release ${release.release}`}><h3>release #{release.release}</h3><Marked text={texts.after[path] ?? '(removed)'} other={texts.before[path] ?? ''} /></section>
        </div>
      ))}
    </section>
  );
}

export interface Conflict {
  path: string;
  mine: string;
  theirs: string | null;
  theirVersion: number;
}

/**
 * A text with the lines the other text lacks marked, scrolled to the first of them. Long lines wrap, and go on
 * indented under their own start, so a wrapped YAML line still reads at its depth.
 */
function Marked({ text, other }: { text: string; other: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const theirs = new Set(other.split('\n'));
  useEffect(() => {
    pre.current?.querySelector('mark')?.scrollIntoView({ block: 'center' });
  }, [text, other]);
  return (
    <pre tabIndex={0} ref={pre}>
      {text.split('\n').map((line, i) => {
        const hang = `${(/^\s*(?:- )?/.exec(line)?.[0].length ?? 0) + 2}ch`;
        const style = { paddingLeft: hang, textIndent: `-${hang}` };
        return theirs.has(line) ? <span key={i} className="line" style={style}>{line || ' '}</span> : <mark key={i} className="line" style={style}>{line || ' '}</mark>;
      })}
    </pre>
  );
}

export function ConflictDialog({ conflict, onKeepMine, onTakeTheirs }: { conflict: Conflict | undefined; onKeepMine: () => void; onTakeTheirs: () => void }) {
  return (
    <Shell title="Someone else saved this file" open={conflict !== undefined} onClose={onTakeTheirs} wide>
      <p className="dialog-text">Your text was not saved over theirs. Compare, then keep one: the other stays in this file's history only if it was published.</p>
      <div className="compare">
        <section aria-label="Your text"><h3>Yours</h3><Marked text={conflict?.mine ?? ''} other={conflict?.theirs ?? ''} /></section>
        <section aria-label="Their text"><h3>Saved meanwhile (version {conflict?.theirVersion})</h3><Marked text={conflict?.theirs ?? '(the file was removed)'} other={conflict?.mine ?? ''} /></section>
      </div>
      <div className="dialog-actions">
        <Button className="button" onPress={onTakeTheirs}>Take theirs</Button>
        <Button className="button primary" onPress={onKeepMine}>Keep mine</Button>
      </div>
    </Shell>
  );
}

/** Asks before drafting a file's removal: nothing changes for customers until the next publish. */
export function RemoveDialog({ path, onClose, onRemove }: { path: string | undefined; onClose: () => void; onRemove: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    try {
      await onRemove();
    } finally {
      setBusy(false);
    }
  }
  return (
    <Shell title="Remove this file?" open={path !== undefined} onClose={onClose}>
      <p className="dialog-text">
        <code>{path}</code> is removed as a draft: customers keep it until you publish, and every release keeps its text, so a restore brings it back.
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onClose}>Cancel</Button>
        <Button className="button danger" isDisabled={busy} onPress={() => void remove()}>{busy ? 'Removing…' : 'Remove'}</Button>
      </div>
    </Shell>
  );
}
