/**
 * The text editor: CodeMirror 6 with YAML or Markdown, its undo history per file (kept while other files are open),
 * search, folding, and the save's problems shown inline (a squiggle, a gutter mark, the message on hover, a
 * did-you-mean offered as a fix). CodeMirror injects its styles, so it gets the page's CSP nonce.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, redo, undo } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { Problem } from './api.ts';
import { flowHover, flowKeys } from './flow-completion.ts';
import { wrapIndent } from './wrap-indent.ts';

export interface EditorHandle {
  goToLine(line: number): void;
  undo(): void;
  redo(): void;
  focus(): void;
}

interface EditorProps {
  path: string;
  /** Which kept state to show (and keep): a file read afresh gets a new key, so its old history is not brought back. */
  stateKey: string;
  /** The text to start from when this file is opened for the first time in this page. */
  initial: string;
  problems: readonly Problem[];
  onChange(text: string): void;
  onSave(): void;
  readOnly?: boolean;
}

const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

/** Editor states by key: switching files keeps each one's text, selection and undo history. */
const states = new Map<string, EditorState>();
/** What a kept state's key bindings and change listener call: the props of the editor showing it now. */
const current = { props: undefined as EditorProps | undefined };
const handlers = { change: (text: string) => current.props?.onChange(text), save: () => current.props?.onSave() };


function languageOf(path: string): Extension {
  if (path.endsWith('.md')) return markdown();
  if (path.endsWith('.jsonl')) return [];
  const flow = path.startsWith('flows/') && !/\.test\.ya?ml$/.test(path);
  return flow ? [yaml(), yaml().language.data.of({ autocomplete: flowKeys }), flowHover] : yaml();
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13.5px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-gutters': { background: 'var(--panel)', borderRight: '1px solid var(--line)', color: 'var(--muted)' },
  '.cm-activeLineGutter': { background: 'var(--accent-soft)' },
  '.cm-activeLine': { background: 'rgba(79, 70, 229, 0.04)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-tooltip-lint': { fontFamily: 'var(--sans)', fontSize: '13px', maxWidth: '460px' },
  '.cm-tooltip .key-help': { fontFamily: 'var(--sans)', fontSize: '13px', maxWidth: '380px', padding: '6px 10px' },
  '.key-help p': { margin: '2px 0 0' },
});

function extensions(props: { path: string }, readOnly: boolean): Extension[] {
  return [
    EditorView.cspNonce.of(nonce),
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    lintGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    autocompletion(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorView.lineWrapping,
    wrapIndent,
    languageOf(props.path),
    theme,
    EditorState.tabSize.of(2),
    EditorState.readOnly.of(readOnly),
    EditorView.contentAttributes.of({ 'aria-label': `Text of ${props.path}`, spellcheck: props.path.endsWith('.md') ? 'true' : 'false' }),
    keymap.of([
      { key: 'Mod-s', preventDefault: true, run: () => (handlers.save(), true) },
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap, indentWithTab,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) handlers.change(update.state.doc.toString());
    }),
  ];
}

/** A problem's place as a range: from its column to the end of the word there (or one character). */
export function toDiagnostics(state: EditorState, problems: readonly Problem[]): Diagnostic[] {
  return problems.map((problem) => {
    const line = state.doc.line(Math.min(Math.max(problem.line, 1), state.doc.lines));
    const from = Math.min(line.from + Math.max(problem.col - 1, 0), line.to);
    const word = /^[\p{L}\p{N}_.'"-]+/u.exec(line.text.slice(from - line.from))?.[0] ?? '';
    const to = Math.min(from + Math.max(word.length, 1), state.doc.length);
    const hint = /did you mean '([^']+)'/.exec(problem.message)?.[1];
    return {
      from,
      to: Math.max(to, from),
      severity: problem.severity,
      message: problem.message,
      ...(hint && word ? { actions: [{ name: `Use '${hint}'`, apply: (view: EditorView, start: number, end: number) => view.dispatch({ changes: { from: start, to: end, insert: hint } }) }] } : {}),
    };
  });
}

export const Editor = forwardRef<EditorHandle, EditorProps>(function Editor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  current.props = props;

  useEffect(() => {
    const state = states.get(props.stateKey) ?? EditorState.create({ doc: props.initial, extensions: extensions(props, props.readOnly === true) });
    const editor = new EditorView({ state, parent: host.current! });
    view.current = editor;
    return () => {
      states.set(props.stateKey, editor.state);
      editor.destroy();
      view.current = null;
    };
  }, [props.stateKey, props.readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, toDiagnostics(editor.state, props.problems)));
  }, [props.problems, props.path]);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const editor = view.current;
      if (!editor) return;
      const target = editor.state.doc.line(Math.min(Math.max(line, 1), editor.state.doc.lines));
      const head = target.from + (/^\s*(- )?/.exec(target.text)?.[0].length ?? 0);
      editor.dispatch({ selection: { anchor: head }, effects: EditorView.scrollIntoView(head, { y: 'center' }) });
      editor.focus();
    },
    undo: () => void (view.current && undo(view.current)),
    redo: () => void (view.current && redo(view.current)),
    focus: () => view.current?.focus(),
  }), []);

  return <div className="editor-host" ref={host} />;
});
