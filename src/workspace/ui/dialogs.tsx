/**
 * The workspace's dialogs: resolve with an outcome, hand over (to a colleague or another queue, with a note for
 * them), the keyboard shortcuts, and the canned responses an admin manages. React Aria modals: focus moves in and
 * comes back, Escape closes.
 */
import { Button, Dialog, Heading, Input, Label, Modal, ModalOverlay, Radio, RadioGroup, TextArea, TextField } from 'react-aria-components';
import { useEffect, useState, type ReactNode } from 'react';
import { deleteCanned, saveCanned, type AgentEntry, type Canned, type CannedInput } from './api.ts';
import { Picker } from '../../ui/picker.tsx';

function Shell({ open, onClose, title, children, wide = false }: { open: boolean; onClose: () => void; title: string; children: ReactNode; wide?: boolean }) {
  return (
    <ModalOverlay className="overlay" isOpen={open} onOpenChange={(isOpen) => !isOpen && onClose()} isDismissable>
      <Modal className={`modal${wide ? ' wide' : ''}`}>
        <Dialog className="dialog" aria-label={title}>
          <Heading slot="title" className="dialog-title">{title}</Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const OUTCOMES = [
  { id: 'solved', label: 'Solved' },
  { id: 'not solved', label: 'Not solved' },
  { id: 'follow-up needed', label: 'Follow-up needed' },
];

export function ResolveDialog({ open, onClose, onResolve, customer }: { open: boolean; onClose: () => void; onResolve: (outcome: string) => Promise<void>; customer: string }) {
  const [outcome, setOutcome] = useState('solved');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (open) { setError(''); setOutcome('solved'); } }, [open]);
  async function submit() {
    setBusy(true);
    try {
      await onResolve(outcome);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Shell open={open} onClose={onClose} title={`Resolve the conversation with ${customer}`}>
      <p className="muted">The bot takes the conversation back, tells the customer and asks them to rate the help.</p>
      <RadioGroup className="radios" value={outcome} onChange={setOutcome} aria-label="Outcome">
        <Label className="field-label">Outcome</Label>
        {OUTCOMES.map((o) => <Radio key={o.id} value={o.id} className="radio">{o.label}</Radio>)}
      </RadioGroup>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <Button className="button" onPress={onClose}>Cancel</Button>
        <Button className="button primary" onPress={() => void submit()} isDisabled={busy} autoFocus>Resolve</Button>
      </div>
    </Shell>
  );
}

export function HandOverDialog(props: {
  open: boolean;
  onClose: () => void;
  agents: AgentEntry[] | undefined;
  queues: string[];
  currentQueue: string;
  meId: string;
  onAssign: (agentId: string) => Promise<void>;
  onTransfer: (queue: string, note: string) => Promise<void>;
}) {
  const { open, onClose, agents, queues, currentQueue, meId } = props;
  const [kind, setKind] = useState<'agent' | 'queue'>('agent');
  const [agentId, setAgentId] = useState('');
  const [queue, setQueue] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const colleagues = (agents ?? []).filter((a) => a.id !== meId && a.queues.includes(currentQueue));
  const otherQueues = queues.filter((q) => q !== currentQueue);
  useEffect(() => {
    if (!open) return;
    setError('');
    setNote('');
    setAgentId('');
    setQueue('');
    setKind(agents?.length ? 'agent' : 'queue');
  }, [open]);
  async function submit() {
    setBusy(true);
    setError('');
    try {
      if (kind === 'agent') await props.onAssign(agentId);
      else await props.onTransfer(queue, note.trim());
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  const ready = kind === 'agent' ? agentId !== '' : queue !== '';
  return (
    <Shell open={open} onClose={onClose} title="Hand over">
      <RadioGroup className="radios inline" value={kind} onChange={(value) => setKind(value as 'agent' | 'queue')} aria-label="Hand over to">
        <Label className="field-label">To</Label>
        <Radio value="agent" className="radio" isDisabled={agents === undefined}>A colleague</Radio>
        <Radio value="queue" className="radio">Another queue</Radio>
      </RadioGroup>
      {kind === 'agent' ? (
        <Choice label="Colleague" value={agentId} onChange={setAgentId} empty={agents === undefined ? 'Assigning is not available on this server yet.' : 'No colleague works this queue.'}
          options={colleagues.map((a) => ({ id: a.id, label: `${a.name}${a.available ? '' : ' (away)'}` }))} />
      ) : (
        <Choice label="Queue" value={queue} onChange={setQueue} empty="There is no other queue." options={otherQueues.map((q) => ({ id: q, label: q }))} />
      )}
      <TextField className="text-field" value={note} onChange={setNote}>
        <Label className="field-label">Note for them <span className="muted">(private: the customer never sees it)</span></Label>
        <TextArea rows={3} maxLength={2000} placeholder="What they should know" />
      </TextField>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <Button className="button" onPress={onClose}>Cancel</Button>
        <Button className="button primary" onPress={() => void submit()} isDisabled={!ready || busy}>{kind === 'agent' ? 'Assign' : 'Transfer'}</Button>
      </div>
    </Shell>
  );
}

function Choice({ label, value, onChange, options, empty }: { label: string; value: string; onChange: (v: string) => void; options: { id: string; label: string }[]; empty: string }) {
  if (options.length === 0) return <p className="muted">{empty}</p>;
  return <Picker label={label} value={value} onChange={onChange} options={options} placeholder={`Choose a ${label.toLowerCase()}`} />;
}

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next conversation'],
  ['k', 'Previous conversation'],
  ['r', 'Reply (focus the reply box)'],
  ['e', 'Resolve the open conversation'],
  ['?', 'Show this list'],
  ['/', 'At the start of the reply box: canned responses'],
  ['Enter', 'In the reply box: send (Shift+Enter for a new line)'],
  ['Esc', 'Leave the reply box, close a dialog'],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Shell open={open} onClose={onClose} title="Keyboard shortcuts">
      <p className="muted">Letters work while no text field has the focus.</p>
      <dl className="shortcuts">
        {SHORTCUTS.map(([key, what]) => (
          <div key={key} className="shortcut"><dt><kbd>{key}</kbd></dt><dd>{what}</dd></div>
        ))}
      </dl>
      <div className="dialog-actions"><Button className="button primary" onPress={onClose} autoFocus>Close</Button></div>
    </Shell>
  );
}

const BLANK: CannedInput = { queue: null, shortcut: '', title: '', text: '' };

/** Admins add, change and remove canned responses; everyone else only uses them. */
export function CannedDialog({ open, onClose, canned, queues, onChanged }: { open: boolean; onClose: () => void; canned: Canned[]; queues: string[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<{ id?: string; input: CannedInput } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { if (open) { setEditing(null); setError(''); } }, [open]);
  async function save() {
    if (!editing) return;
    try {
      await saveCanned(editing.input, editing.id);
      setEditing(null);
      setError('');
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }
  async function remove(id: string) {
    try {
      await deleteCanned(id);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const set = (patch: Partial<CannedInput>) => setEditing((e) => (e ? { ...e, input: { ...e.input, ...patch } } : e));
  return (
    <Shell open={open} onClose={onClose} title="Canned responses" wide>
      <p className="muted">Agents insert these by typing <kbd>/</kbd> at the start of the reply box. Variables are filled for each conversation: <code>{'{{customer.name}}'}</code>, <code>{'{{agent.name}}'}</code>, <code>{'{{order.number}}'}</code>.</p>
      {editing ? (
        <form className="canned-form" onSubmit={(event) => { event.preventDefault(); void save(); }}>
          <div className="form-row">
            <TextField className="text-field" value={editing.input.shortcut} onChange={(shortcut) => set({ shortcut: shortcut.replace(/\s+/g, '-') })} isRequired>
              <Label className="field-label">Shortcut</Label>
              <Input maxLength={40} placeholder="refund-status" />
            </TextField>
            <TextField className="text-field grow" value={editing.input.title} onChange={(title) => set({ title })} isRequired>
              <Label className="field-label">Title</Label>
              <Input maxLength={100} placeholder="Where the refund is" />
            </TextField>
            <Picker label="Queue" value={editing.input.queue ?? '*'} onChange={(q) => set({ queue: q === '*' ? null : q })} options={[{ id: '*', label: 'Every queue' }, ...queues.map((q) => ({ id: q, label: q }))]} />
          </div>
          <TextField className="text-field" value={editing.input.text} onChange={(text) => set({ text })} isRequired>
            <Label className="field-label">Text</Label>
            <TextArea rows={4} maxLength={4000} placeholder="Hi {{customer.name}}, …" />
          </TextField>
          <div className="dialog-actions">
            <Button className="button" onPress={() => setEditing(null)}>Cancel</Button>
            <Button type="submit" className="button primary">Save</Button>
          </div>
        </form>
      ) : (
        <>
          <ul className="canned-admin">
            {canned.length === 0 ? <li className="muted">No canned responses yet.</li> : canned.map((c) => (
              <li key={c.id} className="canned-admin-row">
                <span className="canned-shortcut">/{c.shortcut}</span>
                <span className="canned-admin-main"><strong>{c.title}</strong><span className="muted"> · {c.queue ?? 'every queue'}</span><span className="canned-text">{c.text}</span></span>
                <Button className="button small" onPress={() => setEditing({ id: c.id, input: { queue: c.queue, shortcut: c.shortcut, title: c.title, text: c.text } })} aria-label={`Edit /${c.shortcut}`}>Edit</Button>
                <Button className="button small quiet" onPress={() => void remove(c.id)} aria-label={`Delete /${c.shortcut}`}>Delete</Button>
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <Button className="button" onPress={onClose}>Close</Button>
            <Button className="button primary" onPress={() => setEditing({ input: BLANK })}>New canned response</Button>
          </div>
        </>
      )}
      {error ? <p className="form-error" role="alert">{error}</p> : null}
    </Shell>
  );
}
