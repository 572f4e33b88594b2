/**
 * The agent workspace: the conversation list on the left, the open conversation in the middle, what is known about
 * it on the right, kept current by the live connection. The keyboard moves through it (j/k, r, e, ?) while no text
 * field has the focus; alerts (a notification and a chime) come when the agent switched them on.
 */
import { Button, Menu, MenuItem, MenuTrigger, Popover, Switch } from 'react-aria-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as api from './api.ts';
import type { AgentEntry, Canned, Conversation, Detail, Line, Me, Person, Suggestion, Tab } from './api.ts';
import { ConversationList, NO_FILTERS, type Filters } from './conversation-list.tsx';
import { ConversationPane } from './conversation-pane.tsx';
import { CannedDialog, HandOverDialog, ResolveDialog, ShortcutsDialog } from './dialogs.tsx';
import { customerName, variableValue } from './format.ts';
import { Live, type LiveEvent } from './live.ts';
import * as notify from './notify.ts';
import type { ReplyBoxHandle, ReplyMode } from './reply-box.tsx';
import { Sidebar } from './sidebar.tsx';
import { visibleIn } from './tabs.ts';
import { Logo } from '../../ui/logo.tsx';

const TYPING_SHOWN_MS = 5000;
const DELIVERY_EVERY_MS = 3000;

export function App() {
  const [me, setMe] = useState<Me>();
  const [tab, setTab] = useState<Tab>('waiting');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [known, setKnown] = useState<Map<string, Conversation>>(new Map());
  const [serverCounts, setServerCounts] = useState<api.TabCounts>();
  const [listedIds, setListedIds] = useState<string[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<Detail>();
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [localUnread, setLocalUnread] = useState<Record<string, number>>({});
  const [typingUntil, setTypingUntil] = useState<Record<string, number>>({});
  const [viewers, setViewers] = useState<Record<string, Person[]>>({});
  const [canned, setCanned] = useState<Canned[]>();
  const [agents, setAgents] = useState<AgentEntry[]>();
  const [available, setAvailable] = useState<boolean | undefined>(undefined);
  const [alertsOn, setAlertsOn] = useState(notify.wanted());
  const [soundOn, setSoundOn] = useState(notify.soundOn());
  const [liveState, setLiveState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const [dialog, setDialog] = useState<'resolve' | 'handover' | 'shortcuts' | 'canned' | null>(null);
  /** What became of the conversation that was open, for the empty pane: resolved, or passed to another queue. */
  const [closed, setClosed] = useState<{ title: string; text: string } | null>(null);
  /** What screen readers are told; `shown` also puts it on screen for a while (problems, what the page cannot show). */
  const [announcement, setAnnouncementState] = useState({ text: '', shown: false });
  const setAnnouncement = (text: string, shown = true) => setAnnouncementState({ text, shown });
  useEffect(() => {
    if (!announcement.text) return undefined;
    const timer = setTimeout(() => setAnnouncementState({ text: '', shown: false }), 5000);
    return () => clearTimeout(timer);
  }, [announcement]);
  const [showDetails, setShowDetails] = useState(false);
  const [whatsappWeb, setWhatsappWeb] = useState(false);
  const [now, setNow] = useState(Date.now());
  const reply = useRef<ReplyBoxHandle>(null);
  const live = useRef<Live | undefined>(undefined);
  // What the event handlers read without being made again on every change.
  const state = useRef({ me, selected, known, tab, filters });
  state.current = { me, selected, known, tab, filters };
  const claimedHere = useRef(new Set<string>());

  const remember = useCallback((items: Conversation[]) => setKnown((map) => {
    const next = new Map(map);
    for (const item of items) next.set(item.id, item);
    return next;
  }), []);

  // ---- loading ----

  const refreshList = useCallback(async () => {
    const { tab: currentTab, filters: current } = state.current;
    const everyOpen = await api.listConversations({ tab: 'open' });
    remember(everyOpen.conversations);
    setServerCounts(everyOpen.counts);
    const filtering = currentTab !== 'open' || Object.values(current).some(Boolean);
    const shown = filtering ? await api.listConversations({ tab: currentTab, ...current }) : everyOpen;
    remember(shown.conversations);
    setListedIds(shown.filtered ? shown.conversations.map((c) => c.id) : null);
    setLoading(false);
  }, [remember]);

  const refreshSuggestions = useCallback(async (id: string) => {
    const found = await api.suggestions(id).catch(() => []);
    if (state.current.selected === id) setSuggestions(found);
  }, []);

  const openConversation = useCallback(async (id: string) => {
    setSelected(id);
    setClosed(null);
    setSuggestions(null);
    setShowDetails(false);
    setLocalUnread((u) => ({ ...u, [id]: 0 }));
    live.current?.view(id);
    try {
      const loaded = await api.conversation(id);
      if (state.current.selected !== id) return;
      setDetail(loaded);
      remember([{ ...loaded.conversation, unread: 0 }]);
      void refreshSuggestions(id);
      void api.markRead(id).catch(() => {});
    } catch (e) {
      setAnnouncement(e instanceof Error ? e.message : String(e));
    }
  }, [remember, refreshSuggestions]);

  useEffect(() => {
    void api.me().then((who) => {
      setMe(who);
      if (who.available !== undefined) setAvailable(who.available);
      void api.canned().then(setCanned).catch(() => setCanned(undefined));
      void api.agents().then((list) => {
        setAgents(list);
        const mine = list?.find((a) => a.id === who.id);
        if (mine) setAvailable(mine.available);
      }).catch(() => {});
      if (who.admin) void api.channels().then((list) => setWhatsappWeb(list.includes('whatsapp-web')));
    });
    const connection = new Live({ onEvent: (event) => onEventRef.current(event), onState: setLiveState, onReconnect: () => {
      void refreshList();
      // Lines may have come while the connection was down: the open conversation is read again.
      if (state.current.selected) void openConversation(state.current.selected);
    } });
    live.current = connection;
    connection.start();
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      connection.stop();
      clearInterval(tick);
    };
  }, []);

  useEffect(() => {
    setLoading(true);
    const timer = setTimeout(() => void refreshList().catch((e) => setAnnouncement(String(e.message ?? e))), filters.q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [tab, filters, refreshList]);

  // Delivery and read receipts change without an event: the open conversation asks every few seconds while in view
  // (not while a dialog is open: a transfer there may take the conversation out of this agent's queues).
  useEffect(() => {
    if (!selected || dialog) return undefined;
    const timer = setInterval(() => {
      if (document.hidden) return;
      void api.delivery(selected).then((states) => setDetail((d) => (d && d.conversation.id === selected
        ? { ...d, transcript: d.transcript.map((line) => (states[line.id] && states[line.id]!.state !== line.delivery?.state ? { ...line, delivery: states[line.id] } : line)) }
        : d))).catch(() => {});
    }, DELIVERY_EVERY_MS);
    return () => clearInterval(timer);
  }, [selected, dialog]);

  // ---- live events ----

  const listRefresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const scheduleListRefresh = () => {
    clearTimeout(listRefresh.current);
    listRefresh.current = setTimeout(() => void refreshList().catch(() => {}), 300);
  };

  const appendLine = (handoffId: string, line: Line) => {
    if (state.current.selected !== handoffId) return;
    setDetail((d) => (d && d.conversation.id === handoffId && !d.transcript.some((l) => l.id === line.id) ? { ...d, transcript: [...d.transcript, line] } : d));
  };

  const onEventRef = useRef<(event: LiveEvent) => void>(() => {});
  onEventRef.current = (event: LiveEvent) => {
    const { me: agent, selected: open, known: map } = state.current;
    const handoffId = event.handoffId;
    const raw = event.handoff as unknown;
    if (raw && typeof raw === 'object') {
      const changed = api.conversationFrom(raw);
      const before = map.get(changed.id);
      remember([{ ...changed, unread: changed.unread ?? before?.unread ?? null }]);
      if (open === changed.id) setDetail((d) => (d ? { ...d, conversation: { ...d.conversation, ...changed, language: changed.language ?? d.conversation.language } } : d));
      // (An assignment to this agent is told by its own 'assigned' event, below.)
      if (!before && changed.status === 'waiting') {
        notify.alert('A customer is waiting', `${customerName(changed.customerName, changed.channel, changed.id)}: ${changed.reason}`, changed.id, () => void openConversation(changed.id));
      }
      scheduleListRefresh();
    }
    if (!handoffId) return;
    if (event.type === 'line' || event.type === 'message' || event.type === 'note') {
      const kind = event.type === 'note' ? 'note' : typeof event.kind === 'string' ? event.kind as Line['kind'] : undefined;
      const line = api.lineFrom((event.line ?? event.note ?? event.message) as Record<string, unknown>, kind);
      appendLine(handoffId, line);
      if (line.kind === 'customer') {
        setTypingUntil((t) => ({ ...t, [handoffId]: 0 }));
        const conversation = map.get(handoffId);
        if (open === handoffId) {
          void refreshSuggestions(handoffId);
          void api.markRead(handoffId).catch(() => {});
        } else setLocalUnread((u) => ({ ...u, [handoffId]: (u[handoffId] ?? 0) + 1 }));
        const mineOrWaiting = conversation && (conversation.status === 'waiting' || conversation.assignee?.id === agent?.id);
        if (mineOrWaiting && (open !== handoffId || document.hidden)) {
          notify.alert(`New message from ${customerName(conversation.customerName, conversation.channel, conversation.id)}`, line.text.slice(0, 140), handoffId, () => void openConversation(handoffId));
        }
        scheduleListRefresh();
      }
    }
    if (event.type === 'suggestions' && open === handoffId && Array.isArray(event.suggestions)) setSuggestions(api.suggestionsFrom(event.suggestions));
    if (event.type === 'transferred') {
      if (open === handoffId && agent && typeof event.to === 'string' && !agent.queues.includes(event.to)) {
        const gone = map.get(handoffId);
        closeOpen(`Transferred to ${event.to}${gone ? `: ${customerName(gone.customerName, gone.channel, gone.id)}` : ''}`, `The agents of ${event.to} have it now.`);
      }
      scheduleListRefresh();
    }
    if (event.type === 'typing' && event.who !== 'agent') setTypingUntil((t) => ({ ...t, [handoffId]: Date.now() + TYPING_SHOWN_MS }));
    if (event.type === 'viewers' && Array.isArray(event.agents)) setViewers((v) => ({ ...v, [handoffId]: event.agents as Person[] }));
    if (event.type === 'assigned' && agent && (event.agentId === agent.id || (event.agent as Person | undefined)?.id === agent.id) && !claimedHere.current.has(handoffId)) {
      const conversation = map.get(handoffId);
      notify.alert('Assigned to you', conversation ? customerName(conversation.customerName, conversation.channel, conversation.id) : 'A conversation', handoffId, () => void openConversation(handoffId));
      scheduleListRefresh();
    }
    if (event.type === 'handoff-updated' && !raw) scheduleListRefresh();
  };

  // ---- what the list shows ----

  const unreadOf = useCallback((c: Conversation) => (c.id === selected ? 0 : c.unread ?? localUnread[c.id] ?? 0), [localUnread, selected]);
  const shown = useMemo(() => {
    // What the server listed, and what the live connection brought since (the server's search is its own).
    const listed = listedIds ? listedIds.flatMap((id) => known.get(id) ?? []) : [];
    const fresh = listedIds && filters.q ? [] : [...known.values()].filter((c) => !listedIds?.includes(c.id) && visibleIn(tab, c, me?.id, filters));
    const kept = [...listed.filter((c) => visibleIn(tab, c, me?.id)), ...fresh];
    return kept.sort((a, b) => (a.status === 'waiting' && b.status === 'waiting' ? a.waitingSince.localeCompare(b.waitingSince)
      : a.status === 'waiting' ? -1 : b.status === 'waiting' ? 1 : (b.lastMessageAt ?? b.waitingSince).localeCompare(a.lastMessageAt ?? a.waitingSince)));
  }, [known, listedIds, tab, filters, me]);
  const counts = useMemo(() => {
    const open = [...known.values()].filter((c) => c.status !== 'resolved');
    const local = { waiting: open.filter((c) => c.status === 'waiting').length, mine: open.filter((c) => c.assignee?.id === me?.id).length };
    return serverCounts ? { waiting: serverCounts.waiting, mine: serverCounts.mine } : local;
  }, [known, me, serverCounts]);
  const options = useMemo(() => {
    const all = [...known.values()];
    const uniq = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))].sort();
    return { queues: uniq([...(me?.queues ?? []), ...all.map((c) => c.queue)]), channels: uniq(all.map((c) => c.channel)), languages: uniq(all.map((c) => c.language?.split('-')[0] ?? null)) };
  }, [known, me]);

  const totalUnread = useMemo(() => [...known.values()].filter((c) => c.status !== 'resolved' && (c.status === 'waiting' || c.assignee?.id === me?.id)).reduce((sum, c) => sum + unreadOf(c), 0), [known, unreadOf, me]);
  useEffect(() => notify.setTitle(totalUnread), [totalUnread]);

  // ---- actions ----

  const act = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      setAnnouncement(e instanceof Error ? e.message : String(e));
    }
  };
  const updated = (c: Conversation) => {
    remember([c]);
    setDetail((d) => (d && d.conversation.id === c.id ? { ...d, conversation: { ...d.conversation, ...c, language: c.language ?? d.conversation.language } } : d));
  };
  const claim = () => act(async () => {
    if (!detail) return;
    claimedHere.current.add(detail.conversation.id);
    updated(await api.claim(detail.conversation.id));
    setAnnouncement('Claimed. The conversation is yours.', false);
  });
  const send = async (text: string, mode: ReplyMode) => {
    if (!detail) return;
    const id = detail.conversation.id;
    if (mode === 'note') {
      const note = await api.addNote(id, text);
      appendLine(id, note);
      return;
    }
    claimedHere.current.add(id);
    await api.reply(id, text);
  };
  /** Closes the open conversation, saying what became of it. */
  const closeOpen = (title: string, text: string) => {
    setClosed({ title, text });
    setDetail(undefined);
    setSelected(null);
    live.current?.view(null);
    setAnnouncement(title, false);
  };
  const resolveOpen = async (outcome: string) => {
    if (!detail) return;
    const done = await api.resolve(detail.conversation.id, outcome);
    remember([done]);
    closeOpen(`Resolved: ${customerName(done.customerName, done.channel, done.id)}`, 'The bot has the conversation back and asks the customer to rate the help.');
  };
  const transferOpen = async (queue: string, note: string) => {
    if (!detail || !me) return;
    const moved = await api.transfer(detail.conversation.id, queue, note);
    remember([moved]);
    if (me.queues.includes(moved.queue)) updated(moved);
    else closeOpen(`Transferred to ${moved.queue}: ${customerName(moved.customerName, moved.channel, moved.id)}`, `The agents of ${moved.queue} have it now${note ? ', with your note' : ''}.`);
  };
  const renderCanned = async (item: Canned): Promise<api.RenderedCanned> => {
    if (!detail) return { text: item.text, missing: [] };
    return (await api.renderCanned(detail.conversation.id, item.id)) ?? { text: fillLocally(item.text, detail, me), missing: [] };
  };
  const toggleAvailable = (on: boolean) => act(async () => {
    const taken = await api.setAvailability(on);
    if (taken === undefined) setAnnouncement('Availability is not available on this server yet.');
    else setAvailable(taken);
  });
  const toggleAlerts = (on: boolean) => act(async () => {
    setAlertsOn(await notify.setWanted(on));
    if (on && notify.permission() === 'denied') setAnnouncement('The browser blocks notifications for this site; only the sound will play.');
  });

  // ---- keyboard ----

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey || dialog) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const move = (step: number) => {
        if (shown.length === 0) return;
        const at = shown.findIndex((c) => c.id === selected);
        const next = shown[Math.min(shown.length - 1, Math.max(0, at === -1 ? 0 : at + step))]!;
        void openConversation(next.id);
      };
      const actions: Record<string, () => void> = {
        j: () => move(1),
        k: () => move(-1),
        r: () => reply.current?.focus(),
        e: () => detail && detail.conversation.status !== 'resolved' && setDialog('resolve'),
        '?': () => setDialog('shortcuts'),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      action();
    }
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [shown, selected, detail, dialog, openConversation]);

  const typing = detail ? (typingUntil[detail.conversation.id] ?? 0) > now : false;
  const nextWaiting = shown.find((c) => c.status === 'waiting');

  return (
    <div className={`workspace${showDetails ? ' details-open' : ''}${selected ? ' has-selection' : ''}`}>
      <header className="topbar">
        <div className="brand"><Logo />Parley <span className="brand-sub">Inbox</span></div>
        <span className={`live ${liveState}`} role="status">{liveState === 'live' ? 'Live' : liveState === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>
        <div className="top-actions">
          <Switch className="switch" isSelected={available === true} onChange={(on) => void toggleAvailable(on)}>
            <span className="track" aria-hidden="true"><span className="thumb" /></span>Available
          </Switch>
          <Switch className="switch" isSelected={alertsOn} onChange={(on) => void toggleAlerts(on)}>
            <span className="track" aria-hidden="true"><span className="thumb" /></span>Alerts
          </Switch>
          <Switch className="switch" isSelected={alertsOn && soundOn} isDisabled={!alertsOn} onChange={(on) => setSoundOn(notify.setSoundOn(on))}>
            <span className="track" aria-hidden="true"><span className="thumb" /></span>Sound
          </Switch>
          {me?.admin ? <AdminMenu whatsappWeb={whatsappWeb} onCanned={canned !== undefined ? () => setDialog('canned') : undefined} /> : null}
          <Button className="button quiet icon" onPress={() => setDialog('shortcuts')} aria-label="Keyboard shortcuts" aria-keyshortcuts="?">?</Button>
          <span className="who">{me ? `${me.name}` : ''}</span>
          <Button className="button quiet" onPress={() => void api.signOut()}>Sign out</Button>
        </div>
      </header>

      <ConversationList
        tab={tab}
        onTab={setTab}
        counts={counts}
        filters={filters}
        onFilters={setFilters}
        options={options}
        conversations={shown}
        unread={unreadOf}
        selected={selected}
        onSelect={(id) => void openConversation(id)}
        now={now}
        loading={loading}
      />

      {detail && me ? (
        <>
          <ConversationPane
            ref={reply}
            detail={detail}
            meId={me.id}
            now={now}
            viewers={viewers[detail.conversation.id] ?? []}
            customerTyping={typing}
            canned={canned}
            renderCanned={renderCanned}
            onClaim={() => void claim()}
            onHandOver={() => setDialog('handover')}
            onResolve={() => setDialog('resolve')}
            onSend={send}
            onTyping={() => live.current?.typing(detail.conversation.id)}
            onBack={() => { setSelected(null); setDetail(undefined); live.current?.view(null); }}
            detailsShown={showDetails}
            onToggleDetails={() => setShowDetails((shown) => !shown)}
          />
          <Sidebar detail={detail} suggestions={suggestions} onInsert={(text) => reply.current?.insert(text)} onOpenPrevious={(id) => void openConversation(id)} onClose={() => setShowDetails(false)} />
        </>
      ) : (
        <main className="conversation empty-state" aria-label="No conversation open">
          {selected ? <p className="muted">Loading…</p> : (
            <div className="empty-card">
              <h1>{closed ? closed.title : shown.length ? 'Pick a conversation' : 'All caught up'}</h1>
              <p className="muted">
                {closed ? `${closed.text} ` : ''}
                {nextWaiting ? `${counts.waiting} waiting; the longest for ${formatWait(nextWaiting, now)}.` : 'Nobody is waiting right now.'}
              </p>
              {nextWaiting ? <Button className="button primary" onPress={() => void openConversation(nextWaiting.id)}>Open the next waiting conversation</Button> : null}
              <p className="muted small">Press <kbd>j</kbd> and <kbd>k</kbd> to move through the list, <kbd>?</kbd> for every shortcut.</p>
            </div>
          )}
        </main>
      )}

      <div className="visually-hidden" role="status" aria-live="polite">{announcement.text}</div>
      {announcement.shown && announcement.text ? <div className="toast" aria-hidden="true" onClick={() => setAnnouncement('', false)}>{announcement.text}</div> : null}

      <ResolveDialog open={dialog === 'resolve'} onClose={() => setDialog(null)} onResolve={resolveOpen} customer={detail ? customerName(detail.conversation.customerName, detail.conversation.channel, detail.conversation.id) : ''} />
      {detail && me ? (
        <HandOverDialog
          open={dialog === 'handover'}
          onClose={() => setDialog(null)}
          agents={agents}
          queues={[...new Set([...(me.queues), ...(agents ?? []).flatMap((a) => a.queues)])]}
          currentQueue={detail.conversation.queue}
          meId={me.id}
          onAssign={async (agentId) => { updated(await api.assign(detail.conversation.id, agentId)); setAnnouncement('Assigned.', false); }}
          onTransfer={transferOpen}
        />
      ) : null}
      <ShortcutsDialog open={dialog === 'shortcuts'} onClose={() => setDialog(null)} />
      {me?.admin ? <CannedDialog open={dialog === 'canned'} onClose={() => setDialog(null)} canned={canned ?? []} queues={me.queues} onChanged={() => void api.canned().then(setCanned)} /> : null}
    </div>
  );
}

/** An admin's way to the other pages: canned responses here, Parley Studio, the report, data requests, WhatsApp Web. */
function AdminMenu({ whatsappWeb, onCanned }: { whatsappWeb: boolean; onCanned: (() => void) | undefined }) {
  return (
    <MenuTrigger>
      <Button className="button quiet">Admin <span aria-hidden="true" className="chevron">▾</span></Button>
      <Popover className="popover" placement="bottom end">
        <Menu className="menu" onAction={(key) => { if (key === 'canned') onCanned?.(); }}>
          {onCanned ? <MenuItem id="canned" className="menu-item">Canned responses</MenuItem> : null}
          <MenuItem id="studio" className="menu-item" href="/studio">Parley Studio</MenuItem>
          <MenuItem id="report" className="menu-item" href="/admin/report">Report</MenuItem>
          <MenuItem id="privacy" className="menu-item" href="/admin/privacy">Data requests</MenuItem>
          {whatsappWeb ? <MenuItem id="whatsapp" className="menu-item" href="/admin/whatsapp-web">WhatsApp Web sign-in</MenuItem> : null}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

const formatWait = (c: Conversation, now: number) => {
  const minutes = Math.max(0, Math.round((now - new Date(c.waitingSince).getTime()) / 60000));
  return minutes < 1 ? 'under a minute' : minutes === 1 ? 'a minute' : `${minutes} minutes`;
};

/** A canned response's variables from what the page knows, when the server cannot fill them. */
function fillLocally(text: string, detail: Detail, me: Me | undefined): string {
  const vars: Record<string, string> = {
    'customer.name': detail.sidebar.customer.name ?? '',
    'agent.name': me?.name ?? '',
  };
  for (const v of detail.sidebar.variables) {
    vars[v.name] = v.value;
    vars[v.name.replace(/_/g, '.')] = v.value;
  }
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_all, name: string) => variableValue(vars[name] ?? '') || '');
}
