/**
 * Parley Studio's page: the files on the left, the open file's text in the middle (saved as a draft a moment after
 * each change, its problems shown inline), and beside it the flow map or the preview chat. Publish and History sit
 * in the top bar. The open file is in the address (#flows/returns.yaml), so a link or a reload opens it again.
 */
import { Button, Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { draftArticle, flowStats, listFiles, me, openFile, placeholders, removeFile, saveFile, signOut, type FileEntry, type Placeholders, type Problem, type StepStats } from './api.ts';
import { ArticlePreview } from './article-preview.tsx';
import { AskPanel } from './ask-panel.tsx';
import { ConflictDialog, HistoryDialog, ProblemList, PublishDialog, RemoveDialog, type Conflict } from './dialogs.tsx';
import { Editor, type EditorHandle } from './editor.tsx';
import { FileList } from './file-list.tsx';
import { FlowMap } from './flow-map.tsx';
import { flowOutline, type FlowOutline } from './flow-outline.ts';
import { PreviewChat } from './preview-chat.tsx';
import { TestsPanel } from './tests-panel.tsx';

const SAVE_AFTER_MS = 700;
const NONE: Problem[] = [];
const MAP_AFTER_MS = 250;

interface Open {
  path: string;
  kind: FileEntry['kind'];
  /** The text the page opened, for a new editor state. */
  initial: string | null;
  /** The version the next save is based on. */
  version: number;
  /** The text of that version as this page knows it. */
  saved: string;
  /** Which editor state shows it: `path#n`, a new n each time the file is read afresh (restored, theirs taken). */
  stateKey: string;
}

type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

const SAVE_LABELS: Record<SaveState, string> = { saved: 'All changes saved as a draft', unsaved: 'Unsaved changes', saving: 'Saving…', conflict: 'Not saved: someone else saved this file', failed: 'Not saved' };

/** What the header says of the open file: saved with nothing unpublished is what customers see, not a draft. */
function saveLabel(state: SaveState, draft: boolean): string {
  return state === 'saved' && !draft ? 'Live: no unpublished changes' : SAVE_LABELS[state];
}

export function App() {
  const [agent, setAgent] = useState<{ name: string }>();
  const [filled, setFilled] = useState<Placeholders>();
  const [files, setFiles] = useState<FileEntry[]>([]);
  const [open, setOpen] = useState<Open>();
  /** Undefined until the server has checked the open file's text (a save does). */
  const [problems, setProblems] = useState<Problem[] | undefined>();
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [outline, setOutline] = useState<{ outline: FlowOutline | undefined; stale: boolean }>({ outline: undefined, stale: false });
  const [dialog, setDialog] = useState<'publish' | 'history' | 'remove'>();
  const [side, setSide] = useState<Key>('view');
  /** The open file's text as the side panels show it (the article rendered), a moment after each change. */
  const [shownText, setShownText] = useState('');
  const [stats, setStats] = useState<StepStats>();
  const [conflict, setConflict] = useState<Conflict>();
  const [notice, setNotice] = useState<{ text: string; tone: 'good' | 'bad' }>();
  const editor = useRef<EditorHandle>(null);
  const text = useRef('');
  const openRef = useRef<Open | undefined>(undefined);
  openRef.current = open;
  const saving = useRef<Promise<void> | undefined>(undefined);
  const saveTimer = useRef<number | undefined>(undefined);
  const mapTimer = useRef<number | undefined>(undefined);

  const say = (text: string, tone: 'good' | 'bad' = 'good') => setNotice({ text, tone });
  const refreshFiles = useCallback(async () => setFiles(await listFiles()), []);

  const drawMap = useCallback((file: Open, source: string) => {
    setShownText(source);
    if (file.kind !== 'flow') return setOutline({ outline: undefined, stale: false });
    let next: FlowOutline | undefined;
    try {
      next = flowOutline(file.path, source);
    } catch {
      next = undefined;
    }
    setOutline((previous) => (next ? { outline: next, stale: false } : { outline: previous.outline, stale: previous.outline !== undefined }));
  }, []);

  /** Saves the editor's text as a draft when it differs from the saved version; one save at a time. */
  const save = useCallback(async (): Promise<void> => {
    window.clearTimeout(saveTimer.current);
    if (saving.current) await saving.current;
    const file = openRef.current;
    if (!file || file.initial === null) return;
    const content = text.current;
    if (content === file.saved) return setSaveState('saved');
    setSaveState('saving');
    const run = (async () => {
      try {
        const result = await saveFile(file.path, content, file.version);
        if (openRef.current?.path !== file.path) return;
        if (result.kind === 'conflict') {
          setSaveState('conflict');
          setConflict({ path: file.path, mine: content, theirs: result.theirs.content, theirVersion: result.theirs.version });
          return;
        }
        const updated = { ...file, version: result.version, saved: content };
        stateKeys.current.set(file.path, { key: file.stateKey, version: result.version });
        openRef.current = updated;
        setOpen(updated);
        setProblems(result.problems);
        setSaveState(text.current === content ? 'saved' : 'unsaved');
        void refreshFiles();
      } catch (error) {
        setSaveState('failed');
        say(`Not saved: ${error instanceof Error ? error.message : String(error)}`, 'bad');
      }
    })();
    saving.current = run;
    await run;
    saving.current = undefined;
  }, [refreshFiles]);

  const generation = useRef(0);
  /** Each file's editor state in this page, and the version it shows: kept only while nobody else changed the file. */
  const stateKeys = useRef(new Map<string, { key: string; version: number }>());
  /** Opens a file, with the editor state it had in this page unless `fresh` (its text changed elsewhere). */
  const load = useCallback(async (path: string, fresh = false) => {
    if (openRef.current && text.current !== openRef.current.saved) await save();
    const file = await openFile(path);
    const kind = files.find((entry) => entry.path === path)?.kind ?? (path.endsWith('.test.yaml') ? 'test' : path.startsWith('flows/') ? 'flow' : 'article');
    const kept = stateKeys.current.get(path);
    const stateKey = !fresh && kept?.version === file.version ? kept.key : `${path}#${++generation.current}`;
    stateKeys.current.set(path, { key: stateKey, version: file.version });
    const opened: Open = { path, kind, initial: file.content, version: file.version, saved: file.content ?? '', stateKey };
    text.current = opened.saved;
    openRef.current = opened;
    setOpen(opened);
    setSaveState('saved');
    setProblems(file.problems);
    setOutline({ outline: undefined, stale: false });
    drawMap(opened, opened.saved);
    if (window.location.hash !== `#${path}`) history.replaceState(null, '', `#${path}`);
  }, [files, save, drawMap]);

  useEffect(() => {
    void (async () => {
      const [who, list, filled] = await Promise.all([me(), listFiles(), placeholders()]);
      setAgent(who);
      setFiles(list);
      setFilled(filled);
    })().catch((error) => say(`The studio could not load: ${error.message}`, 'bad'));
  }, []);

  /** Opens a draft article just made for unanswered questions, rendered beside its text. */
  const openDrafted = async (path: string) => {
    await refreshFiles();
    await load(path);
    setSide('view');
    say(`${path}: a draft for the unanswered question. Write the answer; publish when it is ready.`);
  };

  // Opens the file in the address, else the first flow, once the list is there. `/studio?article=…` (the report's
  // "write the article" for unanswered questions) drafts the article for those questions and opens it.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || files.length === 0) return;
    started.current = true;
    const questions = new URLSearchParams(window.location.search).getAll('article').filter((q) => q.trim());
    if (questions.length > 0) {
      void (async () => {
        try {
          const { path } = await draftArticle(questions.slice(0, 4));
          history.replaceState(null, '', `/studio#${path}`);
          await openDrafted(path);
        } catch (error) {
          history.replaceState(null, '', '/studio');
          say(`The article was not drafted: ${error instanceof Error ? error.message : String(error)}`, 'bad');
        }
      })();
      return;
    }
    const wanted = decodeURIComponent(window.location.hash.slice(1));
    const first = files.find((file) => file.path === wanted) ?? files.find((file) => file.kind === 'flow') ?? files[0]!;
    void load(first.path);
  }, [files, load]);

  const onChange = useCallback((value: string) => {
    text.current = value;
    setSaveState('unsaved');
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => void save(), SAVE_AFTER_MS);
    window.clearTimeout(mapTimer.current);
    const file = openRef.current;
    if (file) mapTimer.current = window.setTimeout(() => drawMap(file, value), MAP_AFTER_MS);
  }, [save, drawMap]);

  // The open flow's analytics, once per flow opened (they change by the day, not by the keystroke).
  const statsFlow = outline.outline?.flow;
  useEffect(() => {
    if (!statsFlow || stats?.flow === statsFlow) return;
    let current = true;
    flowStats(statsFlow).then((next) => current && setStats(next)).catch(() => undefined);
    return () => { current = false; };
  }, [statsFlow, stats?.flow]);

  const goToLine = useCallback((line: number) => editor.current?.goToLine(line), []);
  const pickProblem = useCallback(async (problem: Problem) => {
    if (problem.path && problem.path !== openRef.current?.path) await load(problem.path);
    window.setTimeout(() => editor.current?.goToLine(problem.line), 50);
  }, [load]);

  /** Drafts the open file's removal; the editor then says so. */
  async function removeOpen() {
    const file = openRef.current;
    if (!file) return;
    const result = await removeFile(file.path, file.version);
    setDialog(undefined);
    if (result.kind === 'conflict') {
      say(`Not removed: someone else saved ${file.path} meanwhile; see their text first.`, 'bad');
      openRef.current = undefined;
      await load(file.path, true);
      return;
    }
    await refreshFiles();
    say(`${file.path}: removal drafted. Publish to remove it for customers.`);
    openRef.current = undefined;
    await load(file.path, true).catch(() => undefined);
  }

  async function keepMine() {
    const file = openRef.current;
    if (!conflict || !file) return;
    openRef.current = { ...file, version: conflict.theirVersion, saved: conflict.theirs ?? '' };
    setOpen(openRef.current);
    setConflict(undefined);
    await save();
  }

  async function takeTheirs() {
    const file = openRef.current;
    setConflict(undefined);
    if (!file) return;
    openRef.current = undefined;
    await load(file.path, true);
  }

  const counts = useMemo(() => ({ errors: problems?.filter((p) => p.severity === 'error').length ?? 0, warnings: problems?.filter((p) => p.severity === 'warning').length ?? 0 }), [problems]);
  const listed = files.find((file) => file.path === open?.path)?.problems ?? 0;
  const drafts = files.filter((file) => file.draft).length;
  // The open flow's languages; kept while another kind of file is open.
  const [languages, setLanguages] = useState<string[]>([]);
  useEffect(() => {
    if (outline.outline) setLanguages((known) => (known.join() === outline.outline!.languages.join() ? known : outline.outline!.languages));
  }, [outline.outline]);

  return (
    <div className="studio">
      <header className="topbar">
        <div className="brand"><span className="logo" aria-hidden="true">P</span>Parley Studio</div>
        <div className="file-status" aria-live="polite">
          {open ? <><span className="path">{open.path}</span><span className={`save-state ${saveState}`}>{saveLabel(saveState, files.find((file) => file.path === open.path)?.draft ?? true)}</span></> : null}
          {open && open.initial !== null ? <Button className="button quiet small" onPress={() => setDialog('remove')} aria-label={`Remove ${open.path}`}>Remove…</Button> : null}
        </div>
        <div className="actions">
          <Button className="button quiet" onPress={() => editor.current?.undo()} aria-label="Undo (Ctrl+Z)">Undo</Button>
          <Button className="button quiet" onPress={() => editor.current?.redo()} aria-label="Redo (Ctrl+Shift+Z)">Redo</Button>
          <Button className="button" onPress={() => setDialog('history')}>History</Button>
          <Button className="button primary" onPress={async () => { await save(); setDialog('publish'); }}>
            Publish{drafts > 0 ? <span className="count" aria-label={`${drafts} drafts`}>{drafts}</span> : null}
          </Button>
          {agent ? <span className="who" title="Signed in">{agent.name}</span> : null}
          <Button className="button quiet" onPress={() => void signOut()}>Sign out</Button>
        </div>
      </header>
      <FileList files={files} selected={open?.path} onOpen={(path) => void load(path)} />
      <main className="work" aria-label="Editor">
        {open ? (
          open.initial === null ? <p className="empty-note">This file's removal is drafted; publish to remove it, or restore a release.</p> : (
            <>
              <Editor ref={editor} key={open.stateKey} stateKey={open.stateKey} path={open.path} initial={open.initial} problems={problems ?? NONE} onChange={onChange} onSave={() => void save()} />
              <section className={`problems${counts.errors ? ' has-errors' : counts.warnings || (problems === undefined && listed) ? ' has-warnings' : ''}`} aria-label="Problems in this file">
                <h2 className="problems-title">{problems === undefined ? (listed ? `${listed} problem${listed === 1 ? '' : 's'}: edit the file to see ${listed === 1 ? 'it' : 'them'} marked in the text` : 'Checked as you type') : counts.errors === 0 && counts.warnings === 0 ? 'No problems' : `${counts.errors} error${counts.errors === 1 ? '' : 's'}, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`}</h2>
                {problems?.length ? <ProblemList problems={problems} onPick={(problem) => goToLine(problem.line)} /> : null}
              </section>
            </>
          )
        ) : <p className="empty-note">Pick a file on the left.</p>}
      </main>
      <Tabs className="side" selectedKey={side} onSelectionChange={setSide}>
        <TabList className="tabs" aria-label="Beside the text">
          <Tab id="view" className="tab">{open?.kind === 'article' ? 'Article' : 'Flow map'}</Tab>
          <Tab id="preview" className="tab">Preview</Tab>
          <Tab id="ask" className="tab">Ask</Tab>
          <Tab id="tests" className="tab">Tests</Tab>
        </TabList>
        <TabPanel id="view" className="tab-panel">
          {open?.kind === 'flow' ? <FlowMap outline={outline.outline} stale={outline.stale} stats={stats} onOpen={goToLine} />
            : open?.kind === 'article' && open.initial !== null ? <ArticlePreview source={shownText} path={open.path} placeholders={filled} />
              : <p className="empty-note">Open a flow to see its map, or an article to see it rendered.</p>}
        </TabPanel>
        <TabPanel id="preview" className="tab-panel" shouldForceMount>
          <PreviewChat languages={languages} onError={(message) => say(`Preview failed: ${message}`, 'bad')} />
        </TabPanel>
        <TabPanel id="ask" className="tab-panel" shouldForceMount>
          <AskPanel
            onError={(message) => say(`The question was not answered: ${message}`, 'bad')}
            pathOf={(id) => files.find((file) => file.path === `knowledge/${id}.md`)?.path}
            onOpen={(path) => void load(path)}
            onDrafted={(path) => void openDrafted(path)}
          />
        </TabPanel>
        <TabPanel id="tests" className="tab-panel" shouldForceMount>
          <TestsPanel
            openTest={open?.kind === 'test' ? open.path : undefined}
            onError={(message) => say(`The tests did not run: ${message}`, 'bad')}
            onPick={(path, line) => void pickProblem({ path, line, col: 1, severity: 'error', message: '' })}
          />
        </TabPanel>
      </Tabs>
      {notice ? (
        <div className={`notice ${notice.tone}`} role={notice.tone === 'bad' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <Button className="button quiet small" onPress={() => setNotice(undefined)} aria-label="Dismiss">×</Button>
        </div>
      ) : null}
      <PublishDialog
        open={dialog === 'publish'}
        onClose={() => setDialog(undefined)}
        onPick={(problem) => void pickProblem(problem)}
        onPublished={(release) => { setDialog(undefined); say(`Release #${release} is live.`); void refreshFiles(); }}
      />
      <HistoryDialog
        open={dialog === 'history'}
        onClose={() => setDialog(undefined)}
        onRestored={(release) => {
          setDialog(undefined);
          say(`Restored as release #${release}.`);
          void refreshFiles();
          const file = openRef.current;
          if (file) { openRef.current = undefined; void load(file.path, true); }
        }}
      />
      <RemoveDialog path={dialog === 'remove' ? open?.path : undefined} onClose={() => setDialog(undefined)} onRemove={removeOpen} />
      <ConflictDialog conflict={conflict} onKeepMine={() => void keepMine()} onTakeTheirs={() => void takeTheirs()} />
    </div>
  );
}
