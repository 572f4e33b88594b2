/**
 * The middle pane: who the conversation is with and where it stands (waiting, whose, who else is looking), the
 * actions on it (claim, hand over, resolve), the transcript and the reply box under it.
 */
import { Button } from 'react-aria-components';
import { forwardRef } from 'react';
import type { Canned, Detail, Person, RenderedCanned } from './api.ts';
import { channelName, customerName, initials, languageName, since } from './format.ts';
import { ReplyBox, type ReplyBoxHandle, type ReplyMode } from './reply-box.tsx';
import { Transcript } from './transcript.tsx';

interface Props {
  detail: Detail;
  meId: string;
  now: number;
  viewers: Person[];
  customerTyping: boolean;
  canned: Canned[] | undefined;
  renderCanned: (canned: Canned) => Promise<RenderedCanned>;
  onClaim: () => void;
  onHandOver: () => void;
  onResolve: () => void;
  onSend: (text: string, mode: ReplyMode) => Promise<void>;
  onTyping: () => void;
  /** Back to the list, where the list and the conversation do not fit side by side. */
  onBack: () => void;
  /** Where the sidebar does not fit beside the conversation: whether it is shown over it, and the switch. */
  detailsShown: boolean;
  onToggleDetails: () => void;
}

export const ConversationPane = forwardRef<ReplyBoxHandle, Props>(function ConversationPane(props, replyRef) {
  const { detail, meId, now, viewers } = props;
  const c = detail.conversation;
  const name = customerName(c.customerName ?? detail.sidebar.customer.name, c.channel, c.id);
  const language = detail.sidebar.customer.language ?? c.language;
  const others = viewers.filter((v) => v.id !== meId);
  const status = c.status === 'waiting'
    ? `Waiting ${since(c.waitingSince, now)}${detail.position ? ` · number ${detail.position} in the queue` : ''}`
    : c.status === 'resolved' ? 'Resolved' : c.assignee?.id === meId ? 'With you' : `With ${c.assignee?.name ?? 'an agent'}`;
  const disabled = c.status === 'resolved' ? 'This conversation is resolved.' : c.status === 'claimed' && c.assignee && c.assignee.id !== meId ? `${c.assignee.name} has this conversation.` : null;
  return (
    <main className="conversation" aria-label={`Conversation with ${name}`}>
      <header className="conversation-head">
        <Button className="button quiet back-button" onPress={props.onBack} aria-label="Back to the conversations">‹</Button>
        <span className="avatar large" aria-hidden="true">{initials(c.customerName ?? channelName(c.channel))}</span>
        <div className="head-main">
          <h1 className="head-name">{name}</h1>
          <p className="head-meta">
            <span className={`status ${c.status}`}>{status}</span>
            <span>{channelName(c.channel)}</span>
            {language ? <span>Writes {languageName(language)}</span> : null}
            <span>Queue {c.queue}</span>
          </p>
        </div>
        {others.length ? (
          <div className="viewers" aria-label={`Also viewing: ${others.map((v) => v.name).join(', ')}`} role="note">
            {others.slice(0, 3).map((v) => <span key={v.id} className="avatar small" title={`${v.name} is viewing`} aria-hidden="true">{initials(v.name)}</span>)}
            <span className="viewers-text" aria-hidden="true">{others.length === 1 ? `${others[0]!.name} is viewing` : `${others.length} others viewing`}</span>
          </div>
        ) : null}
        <div className="head-actions">
          {c.status === 'waiting' ? <Button className="button primary" onPress={props.onClaim}>Claim</Button> : null}
          {c.status !== 'resolved' ? <Button className="button" onPress={props.onHandOver}>Hand over…</Button> : null}
          {c.status !== 'resolved' ? <Button className="button" onPress={props.onResolve} aria-keyshortcuts="e">Resolve</Button> : null}
          <Button className="button details-toggle" onPress={props.onToggleDetails} aria-expanded={props.detailsShown}>Details</Button>
        </div>
      </header>
      <Transcript lines={detail.transcript} customer={name} agent={c.assignee?.name ?? null} typing={props.customerTyping} />
      <ReplyBox
        ref={replyRef}
        conversationId={c.id}
        customerLanguage={language}
        canned={props.canned}
        renderCanned={props.renderCanned}
        onSend={props.onSend}
        onTyping={props.onTyping}
        disabled={disabled}
        sendLabel={c.status === 'waiting' ? 'Claim and send' : 'Send'}
      />
    </main>
  );
});
