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
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>Data requests</h1>
<p>Requests customers made in conversation. Export hands you their data as JSON; erase deletes it everywhere and cannot be undone
(see docs/privacy.md). Check that the request really comes from the customer before you carry it out.</p>
<table><thead><tr><th>asked</th><th>reference</th><th>kind</th><th>status</th><th>customer</th><th></th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="6">No data requests.</td></tr>'}</tbody></table>
<script>
for (const button of document.querySelectorAll('button[data-erase]')) {
  button.addEventListener('click', async () => {
    if (!confirm('Erase this customer and everything Parley holds about them? This cannot be undone.')) return;
    const response = await fetch('/admin/customers/' + encodeURIComponent(button.dataset.erase) + '/erase', { method: 'POST' });
    if (!response.ok) return alert('Not erased: ' + (await response.text()));
    // What the erase could not reach is said before the page reloads: the admin has to remove it by hand.
    const result = await response.json();
    const notes = Object.entries(result.copies || {}).map(([desk, done]) => done.error
      ? desk + ': its messages could not be deleted (' + done.error + '); delete them there: ' + done.left.join(', ')
      : done.left.length ? desk + ': ' + done.left.length + ' message(s) written by people are left there; a workspace admin can delete them: ' + done.left.join(', ') : '').filter(Boolean);
    if (result.redis && result.redis.error) notes.push('Redis was not reachable: erase again when it is up.');
    if (notes.length) alert('Erased. ' + notes.join(' '));
    location.reload();
  });
}
</script>
</body></html>`;
}
