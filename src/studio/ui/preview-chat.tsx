/**
 * The preview chat: a conversation with the draft set (every unpublished change) through the real engine and
 * knowledge base, on the server (POST /studio/api/preview). Each bot turn shows why it answered so: what the
 * understanding step decided, with how sure it was, and where the conversation stands. Nothing real happens:
 * a handoff is shown, not queued.
 */
import { Button, Checkbox, Form, Input, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, Text, TextArea, TextField, type Key } from 'react-aria-components';
import { useEffect, useRef, useState } from 'react';
import { preview, type PreviewTurn } from './api.ts';
import { callSource } from './call-source.ts';
import { RecordedAnswers } from './recorded-answers.tsx';

interface Line {
  id: number;
  from: 'you' | 'bot';
  text: string;
  buttons?: PreviewTurn['replies'][number]['buttons'];
  why?: string[];
}

const newConversation = () => `studio-${crypto.randomUUID()}`;

function whyOf(turn: PreviewTurn): string[] {
  const why: string[] = [];
  const understood = turn.understood;
  if (understood) {
    const { decision } = understood;
    const sure = `${Math.round(decision.confidence * 100)}% sure`;
    if (understood.intent) why.push(`Parley's own request: ${understood.intent.name}`);
    else if (decision.kind === 'flow') why.push(`Understood as the flow ${decision.flow} (${sure})`);
    else if (decision.kind === 'knowledge') why.push(`Answered from the article ${decision.article} (${sure})`);
    else why.push(`Not understood well enough (${sure}): the closest were offered`);
    if (understood.query) why.push(`Read as “${understood.query}”`);
    if (understood.why) why.push(understood.why);
  }
  if (turn.handoff !== undefined) why.push(`Handed to a person: ${turn.handoff || 'no reason given'} (shown here, not queued)`);
  for (const call of turn.calls ?? []) why.push(`Called ${call.endpoint} (${callSource(call, Date.now())})`);
  why.push(turn.flow ? `Now in ${turn.flow}${turn.step ? `, step ${turn.step}` : ''}` : 'No flow running');
  return why;
}

const AUTOMATIC = 'auto';
const languageName = (code: string) => {
  try {
    return new Intl.DisplayNames([navigator.language, 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

export function PreviewChat({ languages, onError }: { languages: readonly string[]; onError: (message: string) => void }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [language, setLanguage] = useState<string>(AUTOMATIC);
  const locale = useRef<string | undefined>(undefined);
  const conversation = useRef(newConversation());
  const nextId = useRef(0);
  const log = useRef<HTMLOListElement>(null);
  const [samplesText, setSamplesText] = useState('');
  const samplesError = sampleProblem(samplesText);
  const [live, setLive] = useState(false);

  const add = (line: Omit<Line, 'id'>) => setLines((all) => [...all, { ...line, id: nextId.current++ }]);

  /** One turn; without text or payload the conversation opens, as a customer's chat does (the greeting). */
  async function send(request: { text?: string; payload?: string }, shown?: string) {
    setBusy(true);
    if (shown !== undefined) add({ from: 'you', text: shown });
    try {
      const samples = samplesText.trim() && !samplesError ? JSON.parse(samplesText) as Record<string, unknown> : undefined;
      const turn = await preview({ conversationId: conversation.current, ...request, ...(locale.current ? { locale: locale.current } : {}), ...(samples ? { samples } : {}), ...(live ? { live } : {}) });
      const why = whyOf(turn);
      if (turn.replies.length === 0) add({ from: 'bot', text: '(no reply)', why });
      turn.replies.forEach((reply, i) => add({ from: 'bot', text: reply.text, buttons: reply.buttons, ...(i === turn.replies.length - 1 ? { why } : {}) }));
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      queueMicrotask(() => log.current?.lastElementChild?.scrollIntoView({ block: 'end' }));
    }
  }

  /** A new conversation, in `chosen` (the picked language) from its greeting on. */
  function restart(chosen = language) {
    locale.current = chosen === AUTOMATIC ? undefined : chosen;
    conversation.current = newConversation();
    setLines([]);
    void send({});
  }

  // Opens the chat as soon as the page loads: the editor sees the greeting, and the server has the drafts loaded
  // (the first preview of a draft set takes a few seconds) before the first question.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    void send({});
  }, []);

  return (
    <section className="preview" aria-label="Preview chat">
      <div className="preview-bar">
        <p className="preview-note">Runs your drafts. Nothing real happens.</p>
        <Select className="language" selectedKey={language} onSelectionChange={(key: Key | null) => {
          if (key === null || String(key) === language) return;
          setLanguage(String(key));
          restart(String(key));
        }} aria-label="Language of a new preview conversation">
          <Label className="visually-hidden">Language</Label>
          <Button className="button quiet small"><SelectValue /> ▾</Button>
          <Popover className="popover">
            <ListBox className="menu">
              <ListBoxItem id={AUTOMATIC} className="menu-item">Any language</ListBoxItem>
              {languages.map((code) => <ListBoxItem key={code} id={code} className="menu-item">{languageName(code)}</ListBoxItem>)}
            </ListBox>
          </Popover>
        </Select>
        <Button className="button quiet" onPress={() => restart()}>Restart</Button>
      </div>
      <details className="samples">
        <summary>Sample answers for call steps</summary>
        <p className="dialog-text">A call step gets its endpoint's sample here instead of calling it: a JSON object by endpoint name, each the response's body.</p>
        <TextField className="samples-input" value={samplesText} onChange={setSamplesText} isInvalid={samplesError !== undefined} aria-label="Sample answers, JSON by endpoint">
          <TextArea rows={4} spellCheck={false} placeholder={'{ "order_lookup": { "status": "shipped", "carrier": "DHL" } }'} />
          {samplesError ? <Text slot="errorMessage" className="field-error">{samplesError}</Text> : null}
        </TextField>
        <p className="dialog-text">Without a sample, a call step gets its endpoint's latest real answer (masked), when a customer's conversation called it.</p>
        <RecordedAnswers onError={onError} />
        <Checkbox className="live-calls" isSelected={live} onChange={setLive}>
          <span className="checkbox-box" aria-hidden="true">{live ? '✓' : ''}</span>
          Allow live calls to safe endpoints (those marked <code>"safe": true</code> in CALL_ENDPOINTS; never others)
        </Checkbox>
      </details>
      <ol className="chat-log" ref={log} role="log" aria-live="polite" aria-label="Preview conversation">
        {lines.length === 0 ? <li className="empty-note">{busy ? 'Loading your drafts…' : 'Write as a customer would, and see what your drafts answer.'}</li> : null}
        {lines.map((line) => (
          <li key={line.id} className={`bubble-row from-${line.from}`}>
            <span className="visually-hidden">{line.from === 'you' ? 'You: ' : 'Bot: '}</span>
            <p className="bubble">{line.text}</p>
            {line.buttons?.length ? (
              <div className="chat-buttons">
                {line.buttons.map((button) => (
                  <Button key={button.payload + button.title} className="chip" isDisabled={busy} onPress={() => void send({ payload: button.payload }, button.title)}>{button.title}</Button>
                ))}
              </div>
            ) : null}
            {line.why ? (
              <details className="why">
                <summary>Why this answer</summary>
                <ul>{line.why.map((reason, i) => <li key={i}>{reason}</li>)}</ul>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      <Form
        className="chat-form"
        onSubmit={(event) => {
          event.preventDefault();
          const message = text.trim();
          if (!message || busy) return;
          setText('');
          void send({ text: message }, message);
        }}
      >
        <TextField className="chat-input" value={text} onChange={setText} aria-label="Message to the preview bot">
          <Label className="visually-hidden">Message</Label>
          <Input placeholder="Write a message…" autoComplete="off" />
        </TextField>
        <Button type="submit" className="button primary" isDisabled={busy || !text.trim()}>Send</Button>
      </Form>
    </section>
  );
}

/** Why the samples' text cannot be sent, or undefined when it can (empty: no samples). */
function sampleProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : 'Write an object: { "endpoint": { …its answer… } }';
  } catch (error) {
    return `Not JSON yet: ${error instanceof Error ? error.message : String(error)}`;
  }
}
