/** Temp mirrors and hand-made OSV zips for the database tests. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';

export const FIXTURE_MIRROR = path.resolve(import.meta.dirname, '../../fixtures/osv-mirror');

export function tempDir(tag: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `bulwark-vulndb-${tag}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A mirror with some of the fixture's ecosystems (and its KEV unless `kev: false`). */
export function makeMirror(dir: string, ecosystems: string[], opts: { kev?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const e of ecosystems) cpSync(path.join(FIXTURE_MIRROR, e), path.join(dir, e), { recursive: true });
  if (opts.kev !== false)
    cpSync(path.join(FIXTURE_MIRROR, 'kev'), path.join(dir, 'kev'), { recursive: true });
  writeFileSync(path.join(dir, 'ecosystems.txt'), `${ecosystems.join('\n')}\n`);
  return dir;
}

/** An EPSS file in FIRST's published layout: a model comment line, a header, one row per CVE. */
export function writeEpss(mirror: string, rows: [string, number, number][]): void {
  mkdirSync(path.join(mirror, 'epss'), { recursive: true });
  const csv = [
    '#model_version:v2025.03.14,score_date:2026-11-21T12:55:00Z',
    'cve,epss,percentile',
    ...rows.map(([c, e, p]) => `${c},${e.toFixed(5)},${p.toFixed(5)}`),
  ].join('\n');
  writeFileSync(path.join(mirror, 'epss', 'epss_scores-current.csv.gz'), gzipSync(`${csv}\n`));
}

export function zipEntries(
  entries: [string, string | Buffer][],
  opts: { compress?: boolean } = {},
): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, body] of entries)
    z.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name, { compress: opts.compress ?? true });
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

export function osvRecord(
  id: string,
  ecosystem: string,
  name: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id,
    modified: '2024-01-01T00:00:00Z',
    aliases: [],
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }],
      },
    ],
    ...extra,
  });
}

/** A mirror with one hand-made ecosystem folder `Test` holding `zip`. */
export function writeZipMirror(dir: string, zip: Buffer, opts: { kev?: boolean } = {}): string {
  makeMirror(dir, [], opts);
  mkdirSync(path.join(dir, 'Test'), { recursive: true });
  writeFileSync(path.join(dir, 'Test', 'all.zip'), zip);
  writeFileSync(path.join(dir, 'ecosystems.txt'), 'Test\n');
  return dir;
}
