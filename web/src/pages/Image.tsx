/** One image: its layers and what each brought, its findings with filters, its scan history. */
import { useMemo, useState } from 'react';
import { get, SEVERITIES, type Image, type Report, type Scan } from '../api';
import { navigate } from '../router';
import { ErrorBox, KevBadge, Link, Loading, SeverityBadge, shortDigest, useAsync, when } from '../ui';

interface Loaded {
  image: Image;
  scans: Scan[];
  report: Report | null;
}

async function load(id: number): Promise<Loaded> {
  const [image, { scans }] = await Promise.all([
    get<Image>(`/images/${id}`),
    get<{ scans: Scan[] }>(`/images/${id}/scans`, { limit: 1000 }),
  ]);
  const report = image.lastScanId
    ? (await get<{ report: Report }>(`/scans/${image.lastScanId}`)).report
    : null;
  return { image, scans, report };
}

export function ImagePage({ imageId, query }: { imageId: number; query: URLSearchParams }) {
  const a = useAsync(() => load(imageId), [imageId]);
  if (a.error) return <ErrorBox error={a.error} />;
  if (!a.data) return <Loading what="the image" />;
  const { image, scans, report } = a.data;
  const name = `${image.repository}${image.tag && !image.tag.startsWith('@') ? `:${image.tag}` : image.tag}`;
  return (
    <>
      <p className="crumbs">
        <Link to="/">Overview</Link> / {name}
      </p>
      <h1>{name}</h1>
      <dl className="facts">
        <dt>Digest</dt>
        <dd>
          <code title={image.digest ?? ''}>{shortDigest(image.digest)}</code>
        </dd>
        <dt>Scans</dt>
        <dd>{image.scans}</dd>
        <dt>Last scanned</dt>
        <dd>{when(image.lastScannedAt)}</dd>
        <dt>Open findings</dt>
        <dd>{image.openFindings}</dd>
        {report?.os?.name && (
          <>
            <dt>OS</dt>
            <dd>
              {report.os.name} {report.os.version}
            </dd>
          </>
        )}
      </dl>
      {report ? <Layers report={report} /> : <p>No scan stored yet.</p>}
      {report && <Findings report={report} query={query} imageId={imageId} />}
      <History imageId={imageId} scans={scans} />
    </>
  );
}

function Layers({ report }: { report: Report }) {
  const rows = useMemo(
    () =>
      report.target.layers.map((l) => ({
        ...l,
        packages: report.packages.filter((p) => p.layer?.diffId === l.diffId).length,
        findings: report.findings.filter((f) => f.layer?.diffId === l.diffId),
      })),
    [report],
  );
  return (
    <section aria-labelledby="layers-h">
      <h2 id="layers-h">Layers</h2>
      <table className="data" id="layers">
        <caption className="sr-only">The layers of the latest scan, in order, with what each brought</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Created by</th>
            <th scope="col">Diff ID</th>
            <th scope="col" className="num">
              Packages added
            </th>
            <th scope="col" className="num">
              Findings
            </th>
            <th scope="col">Worst</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => {
            const worst = SEVERITIES.find((s) => l.findings.some((f) => f.severity.toLowerCase() === s));
            return (
              <tr key={l.index}>
                <td className="num">{l.index}</td>
                <td className="created-by">{l.createdBy ?? <span className="muted">(no history)</span>}</td>
                <td>
                  <code title={l.diffId}>{shortDigest(l.diffId)}</code>
                </td>
                <td className="num">{l.packages}</td>
                <td className="num">{l.findings.length}</td>
                <td>{worst ? <SeverityBadge severity={worst} /> : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Findings({ report, query, imageId }: { report: Report; query: URLSearchParams; imageId: number }) {
  const initial = (query.get('severity') ?? '').split(',').filter(Boolean);
  const [sev, setSev] = useState<Set<string>>(new Set(initial.length ? initial : SEVERITIES));
  const [kev, setKev] = useState(query.get('kev') === '1');
  const [fix, setFix] = useState(query.get('fix') === '1');
  const [pkg, setPkg] = useState(query.get('package') ?? '');
  const [layer, setLayer] = useState(query.get('layer') ?? '');
  const shown = report.findings
    .filter(
      (f) =>
        sev.has(f.severity.toLowerCase()) &&
        (!kev || f.kev) &&
        (!fix || f.fixedVersion) &&
        (!pkg || f.package.name.toLowerCase().includes(pkg.toLowerCase())) &&
        (!layer || f.layer?.diffId === layer),
    )
    .sort((a, b) => b.risk - a.risk || (a.id < b.id ? -1 : 1));
  const toggle = (s: string) =>
    setSev((prev) => {
      const n = new Set(prev);
      if (n.has(s)) n.delete(s);
      else n.add(s);
      return n;
    });
  return (
    <section aria-labelledby="findings-h">
      <h2 id="findings-h">Findings of the latest scan</h2>
      <form className="filters" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                name="severity"
                value={s}
                checked={sev.has(s)}
                onChange={() => toggle(s)}
              />
              {s}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" id="kev-only" checked={kev} onChange={(e) => setKev(e.target.checked)} />
          Known exploited only
        </label>
        <label className="check">
          <input type="checkbox" id="fix-only" checked={fix} onChange={(e) => setFix(e.target.checked)} />
          Fix available only
        </label>
        <label htmlFor="pkg-filter">Package</label>
        <input id="pkg-filter" value={pkg} onChange={(e) => setPkg(e.target.value)} />
        <label htmlFor="layer-filter">Layer</label>
        <select id="layer-filter" value={layer} onChange={(e) => setLayer(e.target.value)}>
          <option value="">any layer</option>
          {report.target.layers.map((l) => (
            <option key={l.diffId} value={l.diffId}>
              #{l.index} {(l.createdBy ?? shortDigest(l.diffId)).slice(0, 60)}
            </option>
          ))}
        </select>
      </form>
      <p aria-live="polite" className="muted" id="findings-count">
        {shown.length} of {report.findings.length} findings shown
      </p>
      <table className="data" id="findings">
        <caption className="sr-only">Findings, highest risk first</caption>
        <thead>
          <tr>
            <th scope="col">Vulnerability</th>
            <th scope="col">Severity</th>
            <th scope="col">Package</th>
            <th scope="col">Installed</th>
            <th scope="col">Fixed in</th>
            <th scope="col">Layer</th>
            <th scope="col" className="num">
              Risk
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => {
            const l = report.target.layers.find((x) => x.diffId === f.layer?.diffId);
            return (
              <tr key={`${f.id} ${f.package.ecosystem}/${f.package.name} ${f.package.location}`}>
                <th scope="row">
                  {f.id} {f.kev && <KevBadge />}
                  {f.summary && <div className="muted small">{f.summary}</div>}
                </th>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td>
                  {f.package.name} <span className="muted small">{f.package.ecosystem}</span>
                </td>
                <td>
                  <code>{f.package.version}</code>
                </td>
                <td>
                  {f.fixedVersion ? <code>{f.fixedVersion}</code> : <span className="muted">no fix</span>}
                </td>
                <td>{l ? `#${l.index}` : '—'}</td>
                <td className="num">{Math.round(f.risk)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">
        Image {imageId}: the findings as the latest scan reported them (the database version it matched is in
        the scan history).
      </p>
    </section>
  );
}

function History({ imageId, scans }: { imageId: number; scans: Scan[] }) {
  const [from, setFrom] = useState(scans[1]?.id ?? 0);
  const [to, setTo] = useState(scans[0]?.id ?? 0);
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">Scan history</h2>
      <table className="data" id="scans">
        <caption className="sr-only">Scans of this image, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Scan</th>
            <th scope="col">Scanned</th>
            <th scope="col">Digest</th>
            <th scope="col">Database</th>
            <th scope="col" className="num">
              Findings
            </th>
            <th scope="col">Compare</th>
          </tr>
        </thead>
        <tbody>
          {scans.map((s, i) => (
            <tr key={s.id}>
              <th scope="row">#{s.id}</th>
              <td>{when(s.scannedAt)}</td>
              <td>
                <code title={s.digest ?? ''}>{shortDigest(s.digest)}</code>
              </td>
              <td>{when(s.dbVersion)}</td>
              <td className="num">{s.findings}</td>
              <td>
                {scans[i + 1] ? (
                  <Link to={`/images/${imageId}/diff?from=${scans[i + 1]!.id}&to=${s.id}`}>
                    changes since #{scans[i + 1]!.id}
                  </Link>
                ) : (
                  <span className="muted">first scan</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {scans.length > 1 && (
        <form
          className="filters"
          aria-label="Compare two scans"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(`/images/${imageId}/diff?from=${from}&to=${to}`);
          }}
        >
          <label htmlFor="diff-from">From scan</label>
          <select id="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {scans.map((s) => (
              <option key={s.id} value={s.id}>
                #{s.id} ({when(s.scannedAt)})
              </option>
            ))}
          </select>
          <label htmlFor="diff-to">to scan</label>
          <select id="diff-to" value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {scans.map((s) => (
              <option key={s.id} value={s.id}>
                #{s.id} ({when(s.scannedAt)})
              </option>
            ))}
          </select>
          <button type="submit">Compare</button>
        </form>
      )}
    </section>
  );
}
