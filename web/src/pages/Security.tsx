/** Two-factor enrolment: a QR code made by the server, a code to confirm, the recovery codes once. */
import { useState, type FormEvent } from 'react';
import { api, type Session } from '../api';
import { ErrorBox } from '../ui';

export function SecurityPage({ session }: { session: Session }) {
  const [enrolled, setEnrolled] = useState(session.user.totpEnabled);
  const [pending, setPending] = useState<{ secret: string; uri: string; qrSvg: string }>();
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[]>();
  const [error, setError] = useState<unknown>();

  async function begin() {
    setError(undefined);
    try {
      setPending(await api('POST', '/me/totp'));
    } catch (err) {
      setError(err);
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<{ recoveryCodes: string[] }>('POST', '/me/totp/confirm', {
        body: { code: code.trim() },
      });
      setCodes(r.recoveryCodes);
      setEnrolled(true);
      setPending(undefined);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <h1>Two-factor authentication</h1>
      <ErrorBox error={error} />
      {codes && (
        <section className="secret" aria-labelledby="codes-h">
          <h2 id="codes-h">Your recovery codes</h2>
          <p>
            Two-factor authentication is on. Keep these one-time codes somewhere safe: each signs you in once
            if you lose your authenticator. They are shown only now.
          </p>
          <ul className="codes" id="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      {enrolled && !codes && (
        <p id="totp-state">Two-factor authentication is on for {session.user.username}.</p>
      )}
      {!enrolled && !pending && (
        <>
          <p id="totp-state">Two-factor authentication is off. Sign-in then needs only your password.</p>
          <button type="button" onClick={begin}>
            Set up an authenticator app
          </button>
        </>
      )}
      {pending && (
        <section aria-labelledby="enrol-h">
          <h2 id="enrol-h">Scan this code with your authenticator app</h2>
          {/* the SVG is made by the server from the otpauth:// URI (the qrcode package); no network image */}
          <div
            className="qr"
            role="img"
            aria-label="QR code of the enrolment URI"
            dangerouslySetInnerHTML={{ __html: pending.qrSvg }}
          />
          <p>
            Or enter this secret by hand: <code id="totp-secret">{pending.secret}</code>
          </p>
          <form className="filters" onSubmit={confirm}>
            <label htmlFor="totp-code">Code shown by the app</label>
            <input
              id="totp-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="submit">Turn on two-factor</button>
          </form>
        </section>
      )}
    </>
  );
}
