/**
 * The right pane: the knowledge base's suggestions for the customer's latest question (each inserted into the reply
 * box to edit), who the customer is, why they came to a person and what the bot already knew and tried, and their
 * earlier conversations. Only what is known is shown: an empty field is left out, never printed as "null".
 */
import { Button, Disclosure, DisclosurePanel, Heading, Input, TextField } from 'react-aria-components';
import { useEffect, useState, type ReactNode } from 'react';
import { channels as serverChannels, linkIdentity, type Detail, type Suggestion } from './api.ts';
import { channelName, clock, languageName } from './format.ts';
import { Picker } from '../../ui/picker.tsx';

interface Props {
  detail: Detail;
  suggestions: Suggestion[] | null;
  onInsert: (text: string) => void;
  onOpenPrevious: (id: string) => void;
  /** Where the sidebar lies over the conversation (a tablet): closes it. */
  onClose: () => void;
}

export function Sidebar({ detail, suggestions, onInsert, onOpenPrevious, onClose }: Props) {
  const { sidebar } = detail;
  const c = sidebar.customer;
  const channels = [...new Set(c.channels.filter(Boolean))];
  return (
    <aside className="sidebar" aria-label="About this conversation">
      <Button className="button small details-close" onPress={onClose}>Hide details</Button>
      <Section title="Suggested answers" className="suggestions" live>
        {suggestions === null ? <p className="muted">Looking in the knowledge base…</p>
          : suggestions.length === 0 ? <p className="muted">No article matches the customer's latest question.</p>
          : (
            <ul className="suggestion-list" aria-label="Suggested answers">
              {suggestions.map((s) => (
                <li key={s.key} className="suggestion">
                  <p className="suggestion-article">{s.title}</p>
                  <p className="suggestion-text">{s.snippet}</p>
                  <Button className="button small" onPress={() => onInsert(s.text)} aria-label={`Insert the answer from ${s.title}`}>Insert</Button>
                </li>
              ))}
            </ul>
          )}
      </Section>

      <Section title="Customer">
        <dl className="facts">
          <Fact label="Name" value={c.name} />
          <Fact label="Channels" value={channelsInWords(channels, c.identities)} />
          <Fact label="Language" value={languageName(c.language)} />
          <Fact label="Answer on" value={c.preferredChannel && c.preferredChannel !== detail.conversation.channel ? channelName(c.preferredChannel) : ''} />
          <Fact label="Consent" value={c.consent} />
        </dl>
        {c.id ? <LinkIdentity customerId={c.id} /> : null}
      </Section>

      <Section title="Why they are here">
        <p className="reason">{sidebar.reason}</p>
        {sidebar.summary ? <p className="summary">{sidebar.summary}{sidebar.summaryByModel ? <span className="muted"> (summary written by the model)</span> : null}</p> : null}
      </Section>

      {sidebar.variables.length ? (
        <Section title="What the bot collected">
          <dl className="facts">{sidebar.variables.map((v) => <Fact key={v.name} label={v.label} value={v.value} />)}</dl>
        </Section>
      ) : null}

      {sidebar.knowledge.length ? (
        <Section title="What the knowledge base answered">
          <ul className="kb-list">
            {sidebar.knowledge.map((k, i) => (
              <li key={i}>
                <p className="kb-question">“{k.question}”</p>
                <p className="muted">{k.answered ? `Answered from ${k.articleTitle ?? 'an article'}` : k.articleTitle ? `Not answered (closest: ${k.articleTitle})` : 'Not answered'}</p>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section title="Previous conversations">
        {sidebar.previous.length ? (
          <ul className="previous-list">
            {sidebar.previous.map((p) => (
              <li key={p.id}>
                <Button className="previous" onPress={() => onOpenPrevious(p.id)}>
                  <span className="previous-when">{clock(p.startedAt)} · {p.status}</span>
                  <span className="previous-summary">{p.summary}</span>
                </Button>
              </li>
            ))}
          </ul>
        ) : <p className="muted">None before this one.</p>}
      </Section>
    </aside>
  );
}

function Section({ title, children, className = '', live = false }: { title: string; children: ReactNode; className?: string; live?: boolean }) {
  return (
    <section className={`side-section ${className}`} aria-label={title} {...(live ? { 'aria-live': 'polite' as const } : {})}>
      <h2 className="side-title">{title}</h2>
      {children}
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** "WhatsApp +49…, Web chat": each channel once, with the phone number where one is known. */
function channelsInWords(channels: string[], identities: string[]): string {
  const named = channels.map(channelName);
  const words = named.map((name) => identities.find((identity) => identity.startsWith(`${name} `)) ?? name);
  return [...new Set([...words, ...identities.filter((identity) => !words.includes(identity))])].join(', ');
}

const PHONE_CHANNELS = new Set(['whatsapp', 'whatsapp-web']);

/** Links an identity the customer proved to the agent (on the phone, by their order) to this customer. */
function LinkIdentity({ customerId }: { customerId: string }) {
  const [available, setAvailable] = useState<string[]>([]);
  const [channel, setChannel] = useState('');
  const [identity, setIdentity] = useState('');
  const [result, setResult] = useState('');
  useEffect(() => {
    void serverChannels().then((list) => {
      setAvailable(list);
      setChannel((current) => current || list[0] || '');
    });
  }, []);
  useEffect(() => setResult(''), [customerId]);
  if (available.length === 0) return null;
  async function link() {
    if (!identity.trim()) return;
    setResult('Linking…');
    try {
      const linked = await linkIdentity(customerId, channel, identity.trim());
      setIdentity('');
      setResult(`Linked. This customer is known on: ${linked.identities.map((i) => `${channelName(i.channel)}${i.phone ? ` ${i.phone}` : ''}`).join(', ')}.`);
    } catch (e) {
      setResult(`Not linked: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return (
    <Disclosure className="link-identity">
      <Heading className="link-heading"><Button slot="trigger" className="link-trigger">Link another identity…</Button></Heading>
      <DisclosurePanel>
        <p className="muted small">Only one the customer proved to you: their conversations there become this customer's.</p>
        <form className="link-form" onSubmit={(event) => { event.preventDefault(); void link(); }}>
          <Picker className="filter" label="Channel" hideLabel value={channel} onChange={setChannel} options={available.map((id) => ({ id, label: channelName(id) }))} />
          <TextField className="text-field grow" value={identity} onChange={setIdentity} aria-label="Identity">
            <Input maxLength={256} placeholder={PHONE_CHANNELS.has(channel) ? 'Phone, e.g. +49 151 23456789' : 'Their id on that channel'} />
          </TextField>
          <Button type="submit" className="button small">Link</Button>
        </form>
        <p className="link-result" role="status">{result}</p>
      </DisclosurePanel>
    </Disclosure>
  );
}
