/** Sign-in: the password first; when the account has TOTP, a code (or a recovery code) next. */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type Session } from '../api';
import { ErrorBox } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'second'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { username, password };
      if (step === 'second') body[useRecovery ? 'recoveryCode' : 'totp'] = code.trim();
      const s = await api<Session>('POST', '/session', { body });
      onSignedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED' && step === 'password') {
        setStep('second');
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <h1>Sign in to bulwark</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        {step === 'password' ? (
          <>
            <label htmlFor="username">User name</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : (
          <>
            <p id="signin-help">
              {useRecovery
                ? 'Enter one of your one-time recovery codes.'
                : 'Enter the 6-digit code from your authenticator app.'}
            </p>
            <label htmlFor="code">{useRecovery ? 'Recovery code' : 'Authentication code'}</label>
            <input
              id="code"
              name="code"
              autoComplete="one-time-code"
              inputMode={useRecovery ? 'text' : 'numeric'}
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="button" className="linkish" onClick={() => setUseRecovery((v) => !v)}>
              {useRecovery ? 'Use an authentication code instead' : 'Use a recovery code instead'}
            </button>
          </>
        )}
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {step === 'password' ? 'Sign in' : 'Verify'}
        </button>
      </form>
    </main>
  );
}
