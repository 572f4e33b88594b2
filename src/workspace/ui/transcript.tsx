/**
 * The conversation as the agent reads it: the customer on the left, the bot and agents on the right with where each
 * message is on its way, notices in the middle, private notes set apart in yellow with a lock, and a line saying so
 * while the customer types. Everything anyone wrote is put on the page as text, never as HTML.
 */
import { useEffect, useRef } from 'react';
import type { Attachment, Line } from './api.ts';
import { channelName, clock } from './format.ts';

const DELIVERY: Record<string, string> = {
  sending: 'Sending…', queued: 'Queued', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not delivered', waiting: 'Waiting',
};

export function Transcript({ lines, customer, agent, typing }: { lines: Line[]; customer: string; agent: string | null; typing: boolean }) {
  const end = useRef<HTMLDivElement>(null);
  const last = lines.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [last, typing]);
  return (
    <section className="transcript" aria-label="Transcript" tabIndex={0}>
      <ol className="lines">
        {lines.map((line) => <TranscriptLine key={line.id} line={line} customer={customer} agent={agent} />)}
      </ol>
      <div className="typing" aria-live="polite">
        {typing ? <span><span className="dots" aria-hidden="true"><i /><i /><i /></span>{customer} is typing…</span> : null}
      </div>
      <div ref={end} />
    </section>
  );
}

/** A file the customer or the bot sent, by reference: what it is, and a link only when it is a web address. */
function AttachmentView({ attachment: a }: { attachment: Attachment }) {
  const what = [a.name ?? KIND_NAMES[a.kind] ?? a.kind, a.mimeType && !a.name ? a.mimeType : ''].filter(Boolean).join(' · ');
  const safe = a.url && /^https?:\/\//i.test(a.url) ? a.url : undefined;
  return (
    <span className="attachment">
      <span className="attachment-kind">{KIND_NAMES[a.kind] ?? a.kind}</span>
      {safe ? <a href={safe} target="_blank" rel="noopener noreferrer">{what}</a> : <span>{what}</span>}
      {a.caption ? <span className="muted"> — {a.caption}</span> : null}
    </span>
  );
}

const KIND_NAMES: Record<string, string> = { image: 'Image', video: 'Video', audio: 'Audio', voice: 'Voice message', document: 'Document', file: 'File', sticker: 'Sticker', location: 'Location' };

/** A small padlock: private notes carry it wherever they appear. */
export function LockIcon() {
  return (
    <svg className="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
    </svg>
  );
}

function TranscriptLine({ line, customer, agent }: { line: Line; customer: string; agent: string | null }) {
  if (line.kind === 'notice') {
    return <li className="line notice" data-kind="notice"><span className="notice-text">{line.text}</span> <time dateTime={line.at}>{clock(line.at)}</time></li>;
  }
  const who = line.kind === 'customer' ? customer : line.kind === 'bot' ? 'Bot' : line.by?.name ?? (line.kind === 'note' ? 'Private note' : agent ?? 'Agent');
  return (
    <li className={`line ${line.kind}`} data-kind={line.kind} data-id={line.id}>
      <div className="line-meta">
        {line.kind === 'note' ? <span className="note-tag"><LockIcon />Private note</span> : null}
        <span className="line-who">{who}</span>
        <time dateTime={line.at}>{clock(line.at)}</time>
        {line.channel ? <span className="line-via">via {channelName(line.channel)}</span> : null}
      </div>
      {line.text ? <div className="bubble">{line.text}</div> : null}
      {line.attachments?.length ? (
        <ul className="attachments" aria-label="Attachments">
          {line.attachments.map((a, i) => <li key={i}><AttachmentView attachment={a} /></li>)}
        </ul>
      ) : null}
      {line.pressed ? <div className="line-extra">Pressed a button</div> : null}
      {line.buttons?.length ? <div className="line-buttons" aria-label="Buttons offered">{line.buttons.map((title) => <span key={title} className="offered">{title}</span>)}</div> : null}
      {line.delivery && line.kind !== 'customer' && line.kind !== 'note' ? (
        <div className={`delivery ${line.delivery.state}`} data-state={line.delivery.state}>
          {DELIVERY[line.delivery.state] ?? line.delivery.state}
          {line.delivery.reason ? <span className="delivery-why"> — {line.delivery.reason}</span> : null}
        </div>
      ) : null}
    </li>
  );
}
