/**
 * The sign-in page at /agent/login, for agents (the workspace) and editors (Parley Studio) alike: an agent id and a
 * password, posted to /agent/login; then the page that sent the browser here (`?next=/admin/report`, only a path on
 * this server: next-path.js), else the workspace. The session cookie is HttpOnly, so the page never sees it. A refusal
 * is said in an alert, which a screen reader announces; each attempt gets a fresh alert (keyed), so the same refusal
 * twice is announced twice.
 */
import { useState } from 'react';
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { sameOriginPath } from '../../../adapters/agent-console/public/next-path.js';
import { Logo } from '../../ui/logo.tsx';

/** What the server's refusal means for the person signing in. */
async function refusal(response: Response): Promise<string> {
  if (response.status !== 429) return 'Unknown agent or wrong password.';
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  const message = body.error?.message ?? 'too many failed sign-ins; try again later';
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

export function SignInPage() {
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  async function signIn(): Promise<void> {
    setError('');
    setAttempt((n) => n + 1);
    setBusy(true);
    try {
      const response = await fetch('/agent/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, password }) });
      if (response.ok) {
        window.location.assign(sameOriginPath(new URLSearchParams(window.location.search).get('next'), window.location.origin));
        return;
      }
      setError(await refusal(response));
    } catch {
      setError('Parley could not be reached; try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <header className="brand-bar"><Logo />Parley</header>
      <main className="sign-in">
        <h1>Sign in</h1>
        <p className="lead">The inbox for agents, and Parley Studio for editors.</p>
        <Form id="login" onSubmit={(event) => { event.preventDefault(); void signIn(); }}>
          <TextField className="sign-in-field" id="agent-id" name="id" value={id} onChange={setId} isRequired autoFocus autoComplete="username">
            <Label>Agent id</Label>
            <Input autoCapitalize="none" spellCheck="false" />
          </TextField>
          <TextField className="sign-in-field" id="agent-password" name="password" type="password" value={password} onChange={setPassword} isRequired autoComplete="current-password">
            <Label>Password</Label>
            <Input />
          </TextField>
          <p key={attempt} id="login-error" role="alert">{error}</p>
          <Button id="sign-in" type="submit" className="button primary" isDisabled={busy}>Sign in</Button>
        </Form>
      </main>
      <footer>Your admin gives you an agent id and a password.</footer>
    </>
  );
}
