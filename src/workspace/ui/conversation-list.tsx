/**
 * The left pane: the conversations of one tab (waiting, mine, all open, resolved), narrowed by queue, channel,
 * language and a search, each with who, how long they have waited, what they last said and how much is unread.
 * A React Aria list box: arrow keys move, Enter opens; j and k move from anywhere (app.tsx).
 */
import { Input, ListBox, ListBoxItem, SearchField, Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import type { Conversation, Tab as TabId } from './api.ts';
import { channelName, customerName, initials, languageName, since } from './format.ts';
import { Picker } from '../../ui/picker.tsx';

export const TABS: { id: TabId; label: string }[] = [
  { id: 'waiting', label: 'Waiting' },
  { id: 'mine', label: 'Mine' },
  { id: 'open', label: 'All open' },
  { id: 'resolved', label: 'Resolved' },
];

export interface Filters {
  queue: string;
  channel: string;
  language: string;
  q: string;
}

export const NO_FILTERS: Filters = { queue: '', channel: '', language: '', q: '' };

interface Props {
  tab: TabId;
  onTab: (tab: TabId) => void;
  counts: Partial<Record<TabId, number>>;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  options: { queues: string[]; channels: string[]; languages: string[] };
  conversations: Conversation[];
  unread: (conversation: Conversation) => number;
  selected: string | null;
  onSelect: (id: string) => void;
  now: number;
  loading: boolean;
}

export function ConversationList(props: Props) {
  const { tab, onTab, counts, filters, onFilters, options, conversations, selected, onSelect, now } = props;
  const select = (keys: 'all' | Set<Key>) => {
    const key = keys === 'all' ? undefined : [...keys][0];
    if (typeof key === 'string') onSelect(key);
  };
  return (
    <nav className="inbox" aria-label="Conversations">
      <Tabs className="inbox-body" selectedKey={tab} onSelectionChange={(key) => onTab(key as TabId)}>
        <TabList className="inbox-tabs" aria-label="Which conversations">
          {TABS.map(({ id, label }) => (
            <Tab key={id} id={id} className="inbox-tab">
              {label}
              {counts[id] ? <span className="tab-count" aria-label={`, ${counts[id]}`}>{counts[id]}</span> : null}
            </Tab>
          ))}
        </TabList>
        {TABS.map(({ id }) => (
          <TabPanel key={id} id={id} className="inbox-panel">
            <div className="inbox-filters">
              <SearchField className="search" value={filters.q} onChange={(q) => onFilters({ ...filters, q })} aria-label="Search customers and messages">
                <Input placeholder="Search customers and messages…" />
              </SearchField>
              <div className="filter-row">
                <Filter label="Queue" value={filters.queue} all="All queues" options={options.queues.map((id) => ({ id, label: id }))} onChange={(queue) => onFilters({ ...filters, queue })} />
                <Filter label="Channel" value={filters.channel} all="All channels" options={options.channels.map((id) => ({ id, label: channelName(id) }))} onChange={(channel) => onFilters({ ...filters, channel })} />
                <Filter label="Language" value={filters.language} all="All languages" options={options.languages.map((id) => ({ id, label: languageName(id) }))} onChange={(language) => onFilters({ ...filters, language })} />
              </div>
            </div>
            <ListBox
              className="conversation-list"
              aria-label={`${TABS.find((t) => t.id === tab)!.label} conversations`}
              selectionMode="single"
              selectedKeys={selected ? [selected] : []}
              onSelectionChange={select}
              items={conversations}
              renderEmptyState={() => <EmptyList tab={tab} filtered={Object.values(filters).some(Boolean)} loading={props.loading} />}
            >
              {(conversation) => <Row conversation={conversation} unread={props.unread(conversation)} now={now} />}
            </ListBox>
          </TabPanel>
        ))}
      </Tabs>
    </nav>
  );
}

function Filter({ label, value, all, options, onChange }: { label: string; value: string; all: string; options: { id: string; label: string }[]; onChange: (value: string) => void }) {
  return <Picker className="filter" label={label} hideLabel active={value !== ''} value={value} onChange={onChange} options={[{ id: '', label: all }, ...options]} />;
}

function Row({ conversation: c, unread, now }: { conversation: Conversation; unread: number; now: number }) {
  const name = customerName(c.customerName, c.channel, c.id);
  const state = c.status === 'waiting' ? `waiting ${since(c.waitingSince, now)}` : c.status === 'resolved' ? 'resolved' : c.assignee ? `with ${c.assignee.name}` : '';
  const time = c.status === 'waiting' ? since(c.waitingSince, now) : c.lastMessageAt ? since(c.lastMessageAt, now) : '';
  // What a screen reader reads is the row's own text, in this order: name, state, unread, preview, channel, queue.
  return (
    <ListBoxItem id={c.id} textValue={name} className={`conversation-row${unread ? ' unread' : ''}`}>
      <span className={`avatar${c.status === 'waiting' ? ' waiting' : ''}`} aria-hidden="true">{initials(c.customerName ?? channelName(c.channel))}</span>
      <span className="row-main">
        <span className="row-top">
          <span className="row-name" aria-hidden="true">{name}</span>
          <span className="visually-hidden">{[name, state, unread ? `${unread} unread` : ''].filter(Boolean).join(', ')},</span>
          <span className={`row-time${c.status === 'waiting' ? ' waiting' : ''}`} aria-hidden="true">{time}</span>
        </span>
        <span className="row-preview">{c.preview || c.reason}</span>
        <span className="row-meta">
          <span className="chip">{channelName(c.channel)}</span>
          <span className="chip">{c.queue}</span>
          {c.language ? <span className="chip">{languageName(c.language)}</span> : null}
          {c.assignee && c.status !== 'resolved' ? <span className="row-assignee" aria-hidden="true">{c.assignee.name}</span> : null}
          {unread ? <span className="unread-count" aria-hidden="true">{unread}</span> : null}
        </span>
      </span>
    </ListBoxItem>
  );
}

const EMPTY_TEXT: Record<TabId, [string, string]> = {
  waiting: ['Nobody is waiting', 'New conversations that need a person appear here as they come in.'],
  mine: ['Nothing assigned to you', 'Claim a waiting conversation, or switch on “Available” to be assigned new ones.'],
  open: ['No open conversations', 'Every customer has been helped.'],
  resolved: ['No resolved conversations yet', 'Conversations you resolve are listed here.'],
};

function EmptyList({ tab, filtered, loading }: { tab: TabId; filtered: boolean; loading: boolean }) {
  if (loading) return <p className="list-empty">Loading…</p>;
  const [title, text] = filtered ? ['No conversation matches', 'Clear the search or the filters to see more.'] : EMPTY_TEXT[tab];
  return (
    <div className="list-empty">
      <p className="list-empty-title">{title}</p>
      <p>{text}</p>
    </div>
  );
}
