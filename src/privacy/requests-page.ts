/**
 * GET /admin/privacy: the data requests customers made, for admins in a browser (an admin agent signed in to the
 * console; anyone else is sent to the sign-in page). Each open request links to the customer's export and has an
 * erase button (POST /admin/customers/:id/erase, same session cookie; src/server/same-origin.ts keeps other origins out).
 */
import type { DataRequest } from './data-requests.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function requestsPage(requests: readonly DataRequest[]): string {
  const rows = requests.map((r) => {
    const when = r.createdAt.toISOString().slice(0, 16).replace('T', ' ');
    const ref = r.id.slice(0, 8).toUpperCase();
    const customer = r.customerId ? `<code>${escape(r.customerId)}</code>` : '<em>erased</em>';
    const actions = r.status === 'open' && r.customerId
      ? `<a href="/admin/customers/${escape(r.customerId)}/export">export (JSON)</a>${r.kind === 'erase' ? ` <button data-erase="${escape(r.customerId)}">erase…</button>` : ''}`
      : escape(`${r.doneBy ?? ''} ${r.doneAt ? r.doneAt.toISOString().slice(0, 16).replace('T', ' ') : ''}`.trim());
    return `<tr><td>${when}</td><td>${ref}</td><td>${r.kind}</td><td>${r.status}</td><td>${customer}</td><td>${actions}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Data requests · Parley</title>
<link rel="stylesheet" href="/admin/privacy.css">
<script src="/admin/privacy.js" defer></script>
</head><body>
<h1>Data requests</h1>
<p>Requests customers made in conversation. Export hands you their data as JSON; erase deletes it everywhere and cannot be undone
(see docs/privacy.md). Check that the request really comes from the customer before you carry it out.</p>
<table><thead><tr><th>asked</th><th>reference</th><th>kind</th><th>status</th><th>customer</th><th></th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="6">No data requests.</td></tr>'}</tbody></table>
</body></html>`;
}
