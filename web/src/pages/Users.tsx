/** Admin: users (create, change role, disable or enable). */
import { useState, type FormEvent } from 'react';
import { api, get, type Role, type Session, type User } from '../api';
import { ErrorBox, Loading, useAsync, when } from '../ui';

const ROLES: Role[] = ['viewer', 'analyst', 'admin'];

export function UsersPage({ session }: { session: Session }) {
  const users = useAsync(() => get<{ users: User[] }>('/users', { limit: 1000 }), []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const u = await api<User>('POST', '/users', { body: { username, password, role } });
      setNotice(`User ${u.username} created as ${u.role}.`);
      setUsername('');
      setPassword('');
      users.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function patch(u: User, body: Partial<{ role: Role; disabled: boolean }>) {
    setError(undefined);
    try {
      const n = await api<User>('PATCH', `/users/${u.id}`, { body });
      setNotice(
        body.role
          ? `${n.username} is now ${n.role}.`
          : `${n.username} is ${n.disabled ? 'disabled' : 'enabled'}.`,
      );
      users.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <h1>Users</h1>
      <ErrorBox error={error ?? users.error} />
      <p role="status" className="notice">
        {notice}
      </p>
      <section aria-labelledby="new-user-h">
        <h2 id="new-user-h">Add a user</h2>
        <form className="filters" onSubmit={create}>
          <label htmlFor="new-username">User name</label>
          <input id="new-username" required value={username} onChange={(e) => setUsername(e.target.value)} />
          <label htmlFor="new-password">Password (at least 12 characters)</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <label htmlFor="new-role">Role</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit">Add user</button>
        </form>
      </section>
      <section aria-labelledby="users-h">
        <h2 id="users-h">All users</h2>
        {!users.data ? (
          <Loading what="users" />
        ) : (
          <table className="data" id="users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Two-factor</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.username}</th>
                  <td>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      Role of {u.username}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={u.id === session.user.id}
                      onChange={(e) => patch(u, { role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{u.totpEnabled ? 'TOTP' : 'none'}</td>
                  <td>
                    {u.disabled ? 'disabled ' : 'active '}
                    {u.id !== session.user.id && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
                        onClick={() => patch(u, { disabled: !u.disabled })}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </td>
                  <td>{when(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
