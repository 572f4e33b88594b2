/**
 * The reply box, always under the transcript: a reply to the customer or a private note for agents (yellow, never
 * sent), canned responses opened by "/" at its start and filtered as typed (arrow keys, Enter or Tab to insert, their
 * variables filled for this conversation), a warning when the reply reads as another language than the customer's,
 * and the customer told that the agent is typing (at most every few seconds).
 */
import { Button, Label, TextArea, TextField, ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import { forwardRef, useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { detectLanguage } from '../../understanding/language.ts';
import type { Canned, RenderedCanned } from './api.ts';
import { baseLanguage, languageName, variableLabel } from './format.ts';
import { LockIcon } from './transcript.tsx';

export type ReplyMode = 'reply' | 'note';

export interface ReplyBoxHandle {
  focus(): void;
  /** Puts a text in the box (a suggestion), replacing what is there, for the agent to edit before sending. */
  insert(text: string): void;
}

interface Props {
  /** Changes when another conversation opens: the box empties. */
  conversationId: string;
  customerLanguage: string | null;
  canned: Canned[] | undefined;
  /** Fills a canned response's variables for this conversation. */
  renderCanned: (canned: Canned) => Promise<RenderedCanned>;
  onSend: (text: string, mode: ReplyMode) => Promise<void>;
  onTyping: () => void;
  disabled: string | null;
  /** The label of the send button while the conversation waits ("Claim and send"). */
  sendLabel: string;
}

const TYPING_EVERY_MS = 2500;

export const ReplyBox = forwardRef<ReplyBoxHandle, Props>(function ReplyBox(props, ref) {
  const { conversationId, customerLanguage, canned, renderCanned, onSend, onTyping, disabled, sendLabel } = props;
  const [text, setText] = useState('');
  const [mode, setMode] = useState<ReplyMode>('reply');
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  /** The variables the last canned response had no value for: the agent fills them in before sending. */
  const [missing, setMissing] = useState<string[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);
  const menuId = useId();

  // Each conversation keeps its unsent draft while the agent looks at another one.
  const drafts = useRef(new Map<string, string>());
  useEffect(() => {
    setText(drafts.current.get(conversationId) ?? '');
    setMode('reply');
    setError('');
    setMissing([]);
  }, [conversationId]);
  useEffect(() => {
    if (text) drafts.current.set(conversationId, text);
    else drafts.current.delete(conversationId);
  }, [text]);

  useImperativeHandle(ref, () => ({
    focus: () => area.current?.focus(),
    insert: (value: string) => {
      setText(value);
      setMode('reply');
      requestAnimationFrame(() => {
        area.current?.focus();
        area.current?.setSelectionRange(value.length, value.length);
      });
    },
  }), []);

  // "/" at the very start opens the canned responses; what follows it filters them.
  const query = text.startsWith('/') && !text.includes('\n') ? text.slice(1).toLowerCase() : null;
  const matches = useMemo(() => {
    if (query === null || !canned) return [];
    return canned.filter((c) => c.shortcut.toLowerCase().includes(query) || c.title.toLowerCase().includes(query) || c.text.toLowerCase().includes(query)).slice(0, 8);
  }, [query, canned]);
  const menuOpen = query !== null && !dismissed;
  useEffect(() => setActive(0), [query]);
  useEffect(() => setDismissed(false), [query === null]);

  const language = mode === 'reply' ? otherLanguage(text, customerLanguage) : null;

  async function choose(item: Canned) {
    try {
      const { text: filled, missing: unfilled } = await renderCanned(item);
      setText(filled);
      setMissing(unfilled);
      requestAnimationFrame(() => area.current?.setSelectionRange(filled.length, filled.length));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function send() {
    const value = text.trim();
    if (!value || sending || disabled) return;
    setSending(true);
    setError('');
    try {
      await onSend(value, mode);
      setText('');
      setMissing([]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
      area.current?.focus();
    }
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (menuOpen && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        void choose(matches[active]!);
        return;
      }
    }
    if (menuOpen && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setDismissed(true);
      return;
    }
    if (event.key === 'Escape') {
      area.current?.blur();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  function onChange(value: string) {
    setText(value);
    if (mode === 'reply' && value.trim() && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      onTyping();
    }
  }

  const showMenu = menuOpen && (matches.length > 0 || canned !== undefined);
  return (
    <div className={`reply-box ${mode}`}>
      {showMenu ? (
        <div className="canned-menu" id={menuId} role="listbox" aria-label="Canned responses">
          {matches.length === 0 ? <p className="canned-empty">{canned?.length ? `No canned response matches “${query}”.` : 'No canned responses yet.'}</p> : matches.map((item, i) => (
            <div
              key={item.id}
              id={`${menuId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`canned-item${i === active ? ' active' : ''}`}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => void choose(item)}
            >
              <span className="canned-shortcut">/{item.shortcut}</span>
              <span className="canned-title">{item.title}</span>
              <span className="canned-text">{item.text}</span>
            </div>
          ))}
        </div>
      ) : null}
      <div className="reply-head">
        <ToggleButtonGroup
          className="mode-switch"
          aria-label="Write a"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[mode]}
          onSelectionChange={(keys) => setMode([...keys][0] as ReplyMode)}
        >
          <ToggleButton id="reply" className="mode">Reply</ToggleButton>
          <ToggleButton id="note" className="mode"><LockIcon />Private note</ToggleButton>
        </ToggleButtonGroup>
        <span className="reply-hint">{mode === 'note' ? 'Only agents see notes.' : canned === undefined ? 'Enter sends · Shift+Enter new line' : 'Enter sends · Shift+Enter new line · / canned responses'}</span>
      </div>
      <TextField className="reply-field" value={text} onChange={onChange} isDisabled={disabled !== null} aria-label={mode === 'note' ? 'Private note' : 'Reply to the customer'}>
        <Label className="visually-hidden">{mode === 'note' ? 'Private note' : 'Reply to the customer'}</Label>
        <TextArea
          ref={area}
          rows={3}
          maxLength={4000}
          placeholder={disabled ?? (mode === 'note' ? 'Write a note for your colleagues…' : 'Write a reply…  (/ for canned responses)')}
          onKeyDown={onKeyDown}
          {...(showMenu ? { 'aria-controls': menuId, 'aria-activedescendant': matches.length ? `${menuId}-${active}` : undefined, 'aria-expanded': true } : {})}
        />
      </TextField>
      <div className="reply-foot">
        <div className="reply-notes" aria-live="polite">
          {language ? <span className="language-flag" role="status">This reads as {languageName(language.reply)}; the customer writes {languageName(language.customer)}.</span> : null}
          {missing.length ? <span className="language-flag" role="status">Fill in before sending: {missing.map((name) => variableLabel(name.replace(/\./g, ' '))).join(', ')}.</span> : null}
          {error ? <span className="reply-error" role="alert">{error}</span> : null}
        </div>
        <Button className={`button ${mode === 'note' ? 'note' : 'primary'}`} onPress={() => void send()} isDisabled={!text.trim() || sending || disabled !== null}>
          {mode === 'note' ? 'Add note' : sendLabel}
        </Button>
      </div>
    </div>
  );
});

/** The reply's language when it differs from the customer's, and theirs; null when they agree or either is unknown. */
function otherLanguage(text: string, customer: string | null): { reply: string; customer: string } | null {
  const theirs = baseLanguage(customer);
  if (!theirs || text.trim().split(/\s+/).length < 3) return null;
  const reply = detectLanguage(text);
  return reply && reply !== theirs ? { reply, customer: theirs } : null;
}
