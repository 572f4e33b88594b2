/**
 * The data requests customers made in conversation (/admin/privacy; docs/privacy.md): each open one with a link to the
 * customer's export and, for an erase request, a button that asks for confirmation in a dialog, erases, and says
 * what the erase could not reach (a desk's messages written by people) for the admin to remove by hand.
 */
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useCallback, useEffect, useState } from 'react';
import * as api from './api.ts';
import type { DataRequest } from './api.ts';

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function PrivacyPage() {
  const [requests, setRequests] = useState<DataRequest[]>();
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState<string>();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const load = useCallback(() => api.dataRequests().then(setRequests, (e: unknown) => setError(e instanceof Error ? e.message : String(e))), []);
  useEffect(() => { void load(); }, [load]);

  async function erase(customerId: string) {
    setConfirming(undefined);
    try {
      const notes = api.leftBehind(await api.erase(customerId));
      setOutcome({ ok: true, text: notes.length ? `Erased. ${notes.join(' ')}` : 'Erased.' });
    } catch (e) {
      setOutcome({ ok: false, text: `Not erased: ${e instanceof Error ? e.message : String(e)}` });
    }
    await load();
  }

  return (
    <>
      <h1 className="page-title">Data requests</h1>
      <p className="lead">Requests customers made in conversation. Export hands you their data as JSON; erase deletes it everywhere and cannot be
        undone (see docs/privacy.md). Check that the request really comes from the customer before you carry it out.</p>
      <div role="alert" className={outcome ? `outcome ${outcome.ok ? 'good' : 'bad'}` : undefined}>{outcome?.text}</div>
      {error ? <p role="alert" className="form-error">The requests could not be loaded: {error}</p> : null}
      <div className="table-frame">
        <table className="data" id="requests" aria-busy={requests === undefined}>
          <caption className="visually-hidden">Data requests, newest first</caption>
          <thead><tr><th scope="col">asked</th><th scope="col">reference</th><th scope="col">kind</th><th scope="col">status</th><th scope="col">customer</th><th scope="col">actions</th></tr></thead>
          <tbody>
            {requests?.length === 0 ? <tr><td colSpan={6} className="empty">No data requests.</td></tr> : null}
            {requests?.map((r) => (
              <tr key={r.id}>
                <td>{minute(r.createdAt)}</td>
                <td>{r.id.slice(0, 8).toUpperCase()}</td>
                <td>{r.kind}</td>
                <td>{r.status}</td>
                <td>{r.customerId ? <code>{r.customerId}</code> : <em>erased</em>}</td>
                <td>
                  {r.status === 'open' && r.customerId ? (
                    <span className="row-actions">
                      <a href={api.exportUrl(r.customerId)} aria-label={`Export the data of ${r.customerId} (JSON)`}>export (JSON)</a>
                      {r.kind === 'erase' ? <Button className="button danger small" aria-label={`Erase ${r.customerId}…`} onPress={() => setConfirming(r.customerId!)}>Erase…</Button> : null}
                    </span>
                  ) : `${r.doneBy ?? ''} ${r.doneAt ? minute(r.doneAt) : ''}`.trim()}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ModalOverlay className="overlay" isOpen={confirming !== undefined} onOpenChange={(open) => { if (!open) setConfirming(undefined); }} isDismissable>
        <Modal className="modal">
          <Dialog className="dialog" role="alertdialog">
            <Heading slot="title" className="dialog-title">Erase this customer?</Heading>
            <p>Erase this customer and everything Parley holds about them? This cannot be undone.</p>
            <div className="dialog-actions">
              <Button className="button" onPress={() => setConfirming(undefined)} autoFocus>Cancel</Button>
              <Button className="button danger" onPress={() => void erase(confirming!)}>Erase</Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  );
}
