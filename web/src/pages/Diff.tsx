/** What changed between two scans of an image: new, fixed and unchanged findings. */
import { get, type Diff, type DiffFinding, type Image } from '../api';
import { ErrorBox, Link, Loading, SeverityBadge, useAsync } from '../ui';

export function DiffPage({ imageId, query }: { imageId: number; query: URLSearchParams }) {
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  const a = useAsync(
    () => Promise.all([get<Image>(`/images/${imageId}`), get<Diff>(`/images/${imageId}/diff`, { from, to })]),
    [imageId, from, to],
  );
  if (a.error) return <ErrorBox error={a.error} />;
  if (!a.data) return <Loading what="the diff" />;
  const [image, d] = a.data;
  const name = `${image.repository}${image.tag && !image.tag.startsWith('@') ? `:${image.tag}` : image.tag}`;
  return (
    <>
      <p className="crumbs">
        <Link to="/">Overview</Link> / <Link to={`/images/${imageId}`}>{name}</Link> / diff
      </p>
      <h1>
        Changes {d.from ? `from scan #${d.from}` : 'in the first scan'} to scan #{d.to}
      </h1>
      <ul className="cards">
        <li className="card-new">
          <strong>{d.new.length}</strong> new
        </li>
        <li className="card-fixed">
          <strong>{d.fixed.length}</strong> fixed
        </li>
        <li>
          <strong>{d.unchanged.length}</strong> unchanged
        </li>
      </ul>
      <DiffTable id="new" title="New findings" rows={d.new} />
      <DiffTable id="fixed" title="Fixed findings" rows={d.fixed} />
      <details>
        <summary>Unchanged findings ({d.unchanged.length})</summary>
        <DiffTable id="unchanged" title="Unchanged findings" rows={d.unchanged} />
      </details>
    </>
  );
}

function DiffTable({ id, title, rows }: { id: string; title: string; rows: DiffFinding[] }) {
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="data" id={`diff-${id}`}>
          <thead>
            <tr>
              <th scope="col">Vulnerability</th>
              <th scope="col">Severity</th>
              <th scope="col">Package</th>
              <th scope="col">Version</th>
              <th scope="col">Fixed in</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={`${f.vulnId} ${f.packageKey}`}>
                <th scope="row">{f.vulnId}</th>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td>
                  {f.packageName} <span className="muted small">{f.ecosystem}</span>
                </td>
                <td>
                  <code>{f.packageVersion}</code>
                </td>
                <td>
                  {f.fixedVersion ? <code>{f.fixedVersion}</code> : <span className="muted">no fix</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
