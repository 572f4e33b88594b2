// The erase buttons of the data requests page (/admin/privacy). A file, not an inline script: the page's CSP allows
// only scripts it serves itself.
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
