/** Admin: the audit log, newest first, a page at a time, filtered by action, actor and outcome. */
import { useState, type FormEvent } from 'react';
import { get, type AuditEntry } from '../api';
import { navigate } from '../router';
import { ErrorBox, Loading, useAsync, when } from '../ui';

const PAGE = 50;

export function AuditPage({ query }: { query: URLSearchParams }) {
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const action = query.get('action') ?? '';
  const actor = query.get('actor') ?? '';
  const outcome = query.get('outcome') ?? '';
  const [f, setF] = useState({ action, actor, outcome });
  // one more than a page tells whether there is a next page
  const log = useAsync(
    () =>
      get<{ entries: AuditEntry[] }>('/audit', {
        limit: PAGE + 1,
        offset,
        action,
        actor,
        outcome,
      }),
    [offset, action, actor, outcome],
  );
  const go = (o: Partial<{ offset: number; action: string; actor: string; outcome: string }>) => {
    const p = new URLSearchParams();
    const v = { offset, action, actor, outcome, ...o };
    if (v.action) p.set('action', v.action);
    if (v.actor) p.set('actor', v.actor);
    if (v.outcome) p.set('outcome', v.outcome);
    if (v.offset) p.set('offset', String(v.offset));
    const q = p.toString();
    navigate(q ? `/admin/audit?${q}` : '/admin/audit');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...f, offset: 0 });
  };
  const entries = log.data?.entries.slice(0, PAGE) ?? [];
  const more = (log.data?.entries.length ?? 0) > PAGE;
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        <label htmlFor="audit-action">Action</label>
        <input
          id="audit-action"
          placeholder="e.g. token.create"
          value={f.action}
          onChange={(e) => setF({ ...f, action: e.target.value })}
        />
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" value={f.actor} onChange={(e) => setF({ ...f, actor: e.target.value })} />
        <label htmlFor="audit-outcome">Outcome</label>
        <select
          id="audit-outcome"
          value={f.outcome}
          onChange={(e) => setF({ ...f, outcome: e.target.value })}
        >
          <option value="">any</option>
          <option>ok</option>
          <option>denied</option>
          <option>failed</option>
        </select>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={log.error} />
      {!log.data && !log.error && <Loading what="the audit log" />}
      {log.data && (
        <>
          <table className="data" id="audit" aria-busy={log.loading}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Address</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className={e.outcome === 'ok' ? undefined : 'not-ok'}>
                  <td>{when(e.at)}</td>
                  <td>{e.actor}</td>
                  <th scope="row">{e.action}</th>
                  <td>{e.target ?? '—'}</td>
                  <td>{e.outcome}</td>
                  <td>{e.ip ?? '—'}</td>
                  <td>
                    <code className="small">
                      {Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!entries.length && <p className="muted">No entries.</p>}
          <nav className="pager" aria-label="Audit log pages">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => go({ offset: Math.max(0, offset - PAGE) })}
            >
              Newer
            </button>
            <span>
              entries {entries.length ? offset + 1 : 0}–{offset + entries.length}
            </span>
            <button type="button" disabled={!more} onClick={() => go({ offset: offset + PAGE })}>
              Older
            </button>
          </nav>
        </>
      )}
    </>
  );
}
