// Signs the agent in and opens the console; the session cookie is HttpOnly, so this script never sees it.
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const response = await fetch('/agent/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: document.getElementById('agent-id').value, password: document.getElementById('agent-password').value }),
  });
  if (response.ok) window.location.assign('/agent');
  else error.textContent = 'Unknown agent or wrong password.';
});
