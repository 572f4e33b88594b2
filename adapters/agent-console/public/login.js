// Signs the agent in and opens the console, or the page that sent them here (`?next=/admin/report`): only a path
// on this server, so the sign-in page cannot be used to send someone elsewhere. The session cookie is HttpOnly,
// so this script never sees it.
function nextPath() {
  const next = new URLSearchParams(window.location.search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/agent';
  const url = new URL(next, window.location.origin);
  return url.origin === window.location.origin ? url.pathname + url.search + url.hash : '/agent';
}

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const response = await fetch('/agent/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: document.getElementById('agent-id').value, password: document.getElementById('agent-password').value }),
  });
  if (response.ok) window.location.assign(nextPath());
  else if (response.status === 429) {
    const message = (await response.json().catch(() => ({}))).error?.message ?? 'too many failed sign-ins; try again later';
    error.textContent = `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
  } else error.textContent = 'Unknown agent or wrong password.';
});
