// Signs the agent in and opens the console, or the page that sent them here (`?next=/admin/report`, only a path on
// this server: next-path.js). The session cookie is HttpOnly, so this script never sees it.
import { sameOriginPath } from './next-path.js';

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const response = await fetch('/agent/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: document.getElementById('agent-id').value, password: document.getElementById('agent-password').value }),
  });
  if (response.ok) window.location.assign(sameOriginPath(new URLSearchParams(window.location.search).get('next'), window.location.origin));
  else if (response.status === 429) {
    const message = (await response.json().catch(() => ({}))).error?.message ?? 'too many failed sign-ins; try again later';
    error.textContent = `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
  } else error.textContent = 'Unknown agent or wrong password.';
});
