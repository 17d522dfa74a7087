/** API tokens: make one (its secret is shown once), see yours, revoke. */
import { useState, type FormEvent } from 'react';
import { api, get, type Session, type Token } from '../api';
import { ErrorBox, Loading, useAsync, when } from '../ui';

const SCOPES_OF_ROLE = {
  viewer: ['read'],
  analyst: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
} as const;

export function TokensPage({ session }: { session: Session }) {
  const tokens = useAsync(() => get<{ tokens: Token[] }>('/tokens'), []);
  const allowed = SCOPES_OF_ROLE[session.user.role];
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(new Set(['read']));
  const [days, setDays] = useState(90);
  const [made, setMade] = useState<Token>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const t = await api<Token>('POST', '/tokens', {
        body: { name, scopes: [...scopes], expiresInDays: days },
      });
      setMade(t);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(t: Token) {
    setError(undefined);
    try {
      await api<Token>('DELETE', `/tokens/${t.id}`);
      setNotice(`Token ${t.name} revoked.`);
      if (made?.id === t.id) setMade(undefined);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <h1>API tokens</h1>
      <p>
        Tokens let the CLI and scripts use the API (<code>BULWARK_TOKEN=… bulwark image … --server URL</code>
        ).
      </p>
      <ErrorBox error={error ?? tokens.error} />
      <p role="status" className="notice">
        {notice}
      </p>
      {made?.token && (
        <div className="secret" role="region" aria-labelledby="made-h">
          <h2 id="made-h">Token {made.name} made</h2>
          <p>Copy it now: it is shown only once and the server keeps only its hash.</p>
          <label htmlFor="new-token">Token secret</label>
          <input id="new-token" readOnly value={made.token} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      <section aria-labelledby="new-token-h">
        <h2 id="new-token-h">Make a token</h2>
        <form className="filters" onSubmit={create}>
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            required
            maxLength={128}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <fieldset>
            <legend>Scopes</legend>
            {allowed.map((s) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  name="scope"
                  value={s}
                  checked={scopes.has(s)}
                  onChange={() =>
                    setScopes((p) => {
                      const n = new Set(p);
                      if (n.has(s)) n.delete(s);
                      else n.add(s);
                      return n;
                    })
                  }
                />
                {s}
              </label>
            ))}
          </fieldset>
          <label htmlFor="token-days">Expires in (days)</label>
          <input
            id="token-days"
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
          <button type="submit" disabled={scopes.size === 0}>
            Make token
          </button>
        </form>
      </section>
      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">{session.user.role === 'admin' ? 'All tokens' : 'Your tokens'}</h2>
        {!tokens.data ? (
          <Loading what="tokens" />
        ) : (
          <table className="data" id="tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.userId === session.user.id ? 'you' : `user ${t.userId}`}</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{when(t.expiresAt)}</td>
                  <td>{when(t.lastUsedAt)}</td>
                  <td>
                    {t.revokedAt ? (
                      `revoked ${when(t.revokedAt)}`
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke token ${t.name}`}
                        onClick={() => revoke(t)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
