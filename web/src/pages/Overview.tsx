/** Portfolio overview: totals, findings by severity over time, and the images ranked by exposure. */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { get, SEVERITIES, type Overview } from '../api';
import { navigate } from '../router';
import { ErrorBox, Link, Loading, useAsync, when } from '../ui';

const PAGE = 50;
// recharts is most of the bundle: loaded after the table, so the first paint does not wait for it
const SeverityChart = lazy(() => import('./SeverityChart'));

export function OverviewPage({ query }: { query: URLSearchParams }) {
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const repository = query.get('repository') ?? '';
  const sort = query.get('sort') ?? 'severity';
  const [filter, setFilter] = useState(repository);
  const ov = useAsync(
    () => get<Overview>('/dashboard/overview', { limit: PAGE, offset, repository, sort }),
    [offset, repository, sort],
  );
  const go = (o: { offset?: number; repository?: string; sort?: string }) => {
    const p = new URLSearchParams();
    const r = o.repository ?? repository;
    const s = o.sort ?? sort;
    if (r) p.set('repository', r);
    if (s !== 'severity') p.set('sort', s);
    if (o.offset) p.set('offset', String(o.offset));
    const q = p.toString();
    navigate(q ? `/?${q}` : '/');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ repository: filter, offset: 0 });
  };
  const d = ov.data;

  return (
    <>
      <h1>Portfolio overview</h1>
      <ErrorBox error={ov.error} />
      {!d && !ov.error && <Loading what="the overview" />}
      {d && (
        <>
          <section aria-labelledby="totals-h">
            <h2 id="totals-h" className="sr-only">
              Totals
            </h2>
            <ul className="cards">
              <li>
                <strong>{d.totals.images}</strong> images
              </li>
              <li>
                <strong>{d.totals.scans}</strong> scans
              </li>
              {SEVERITIES.map((s) => (
                <li key={s} className={`card-${s}`}>
                  <strong>{d.totals[s]}</strong> {s}
                </li>
              ))}
              <li>
                <strong>{d.totals.kev}</strong> known exploited (KEV) in{' '}
                <strong>{d.totals.imagesWithKev}</strong> images
              </li>
              <li>
                <strong>{d.totals.imagesWithFixes}</strong> images with fixes available ({d.totals.fixable}{' '}
                findings)
              </li>
            </ul>
          </section>
          <section aria-labelledby="trend-h">
            <h2 id="trend-h">Findings by severity over time</h2>
            {d.series.length ? (
              <figure className="chart" aria-label="Open findings of the portfolio per day, by severity">
                <Suspense fallback={<Loading what="the chart" />}>
                  <SeverityChart series={d.series} />
                </Suspense>
                <figcaption className="muted">
                  Each day counts every image as its latest scan up to that day had it ({d.series.length} days
                  with scans).
                </figcaption>
              </figure>
            ) : (
              <p className="muted">No scans yet.</p>
            )}
          </section>
        </>
      )}
      <section aria-labelledby="images-h">
        <h2 id="images-h">Images</h2>
        <form className="filters" onSubmit={submit} role="search" aria-label="Filter images">
          <label htmlFor="repo-filter">Repository contains</label>
          <input id="repo-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="submit">Filter</button>
          <label htmlFor="sort">Order</label>
          <select id="sort" value={sort} onChange={(e) => go({ sort: e.target.value, offset: 0 })}>
            <option value="severity">Most exposed first (KEV, then severity)</option>
            <option value="name">By name</option>
            <option value="recent">Most recently scanned</option>
          </select>
        </form>
        {d && (
          <>
            <table className="data" id="images" aria-busy={ov.loading}>
              <caption className="sr-only">Tracked images with the findings of their latest scan</caption>
              <thead>
                <tr>
                  <th scope="col">Image</th>
                  {SEVERITIES.map((s) => (
                    <th scope="col" key={s} className="num">
                      {s}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    KEV
                  </th>
                  <th scope="col" className="num">
                    Fixable
                  </th>
                  <th scope="col">Last scanned</th>
                </tr>
              </thead>
              <tbody>
                {d.images.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      <Link to={`/images/${i.id}`}>
                        {i.repository}
                        {i.tag && !i.tag.startsWith('@') ? `:${i.tag}` : i.tag}
                      </Link>
                    </th>
                    {SEVERITIES.map((s) => (
                      <td key={s} className={`num ${i[s] ? `n-${s}` : 'zero'}`}>
                        {i[s]}
                      </td>
                    ))}
                    <td className={`num ${i.kev ? 'n-kev' : 'zero'}`}>{i.kev}</td>
                    <td className="num">{i.fixable}</td>
                    <td>{when(i.lastScannedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!d.images.length && <p className="muted">No images match.</p>}
            <nav className="pager" aria-label="Image pages">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => go({ offset: Math.max(0, offset - PAGE) })}
              >
                Previous
              </button>
              <span aria-live="polite">
                {d.total ? `${offset + 1}–${Math.min(offset + PAGE, d.total)} of ${d.total}` : '0 images'}
              </span>
              <button
                type="button"
                disabled={offset + PAGE >= d.total}
                onClick={() => go({ offset: offset + PAGE })}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </section>
    </>
  );
}
