/**
 * Builds the bundled demo: a small OCI image layout (tar) of a Debian 11 application image, and a
 * small real-data OSV mirror (Debian:11 and npm records plus the matching KEV entries, taken from
 * the offline OSV mirror copied in test/fixtures/osv-mirror) and NVD's CVSS for their CVEs (NVD
 * JSON 2.0 feed files in the mirror's nvd/ folder, from the recorded records in
 * test/fixtures/nvd/cves). Deterministic: same inputs, same bytes.
 *
 *   npx tsx scripts/demo/build.ts [--mirror test/fixtures/osv-mirror] [--nvd test/fixtures/nvd/cves] [--out data/demo]
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { DEMO_LAYERS, DEMO_NPM, type DemoDeb } from './packages.js';

const MTIME = new Date('2021-09-01T00:00:00Z');
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const mirror = path.resolve(opt('--mirror', 'test/fixtures/osv-mirror'));
const nvdRecords = path.resolve(opt('--nvd', 'test/fixtures/nvd/cves'));
const out = path.resolve(opt('--out', 'data/demo'));

type Entry = { name: string; body?: string; type?: 'file' | 'symlink' | 'directory'; linkname?: string };

function stanza(d: DemoDeb): string {
  const lines = [
    `Package: ${d.name}`,
    'Status: install ok installed',
    'Priority: optional',
    `Section: ${d.section}`,
    'Installed-Size: 100',
    'Maintainer: Debian Developers <debian-devel@lists.debian.org>',
    `Architecture: ${d.arch}`,
    ...(d.multiArch ? [`Multi-Arch: ${d.multiArch}`] : []),
    ...(d.source ? [`Source: ${d.source}`] : []),
    `Version: ${d.version}`,
    `Description: ${d.description}`,
    ' This is a demo entry of bulwark; the name and version are real Debian ones.',
  ];
  return `${lines.join('\n')}\n`;
}

function statusFile(upTo: number): string {
  const debs = DEMO_LAYERS.slice(0, upTo + 1)
    .flatMap((l) => l.debs)
    .sort((a, b) => a.name.localeCompare(b.name));
  return debs.map(stanza).join('\n');
}

async function tarBuffer(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      mtime: MTIME,
      uid: 0,
      gid: 0,
      uname: 'root',
      gname: 'root',
      type,
      mode: type === 'directory' ? 0o755 : 0o644,
      ...(e.linkname ? { linkname: e.linkname } : {}),
    };
    await new Promise<void>((resolve, reject) =>
      pack.entry(header, e.body ?? '', (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function buildImage(): Promise<void> {
  const osRelease = [
    'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"',
    'NAME="Debian GNU/Linux"',
    'VERSION_ID="11"',
    'VERSION="11 (bullseye)"',
    'VERSION_CODENAME=bullseye',
    'ID=debian',
    'HOME_URL="https://www.debian.org/"',
    '',
  ].join('\n');
  const layers: Entry[][] = [
    [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/debian_version', body: '11.1\n' },
      // a relative symlink, as in real Debian images: analyzers must resolve it inside the image
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'usr/', type: 'directory' },
      { name: 'usr/lib/', type: 'directory' },
      { name: 'usr/lib/os-release', body: osRelease },
      { name: 'var/lib/dpkg/', type: 'directory' },
      { name: 'var/lib/dpkg/status', body: statusFile(0) },
    ],
    [
      { name: 'var/lib/dpkg/status', body: statusFile(1) },
      { name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bullseye_InRelease', body: 'Origin: Debian\n' },
      { name: 'usr/bin/curl', body: '#!/bin/sh\n# placeholder binary of the demo image\n' },
    ],
    [
      { name: 'var/lib/dpkg/status', body: statusFile(2) },
      // the layer cleans apt lists: a whiteout hides the file of the layer below
      { name: 'var/lib/apt/lists/.wh.deb.debian.org_debian_dists_bullseye_InRelease' },
    ],
    [
      {
        name: 'usr/src/app/package.json',
        body: `${JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true, dependencies: Object.fromEntries(DEMO_NPM.map((p) => [p.name, p.version])) }, null, 2)}\n`,
      },
      ...DEMO_NPM.map((p) => ({
        name: `usr/src/app/node_modules/${p.name}/package.json`,
        body: `${JSON.stringify({ name: p.name, version: p.version, license: p.license }, null, 2)}\n`,
      })),
      { name: 'usr/src/app/server.js', body: "require('lodash');\nconsole.log('demo');\n" },
    ],
  ];
  const createdBy = [
    ...DEMO_LAYERS.map((l) => l.createdBy),
    '/bin/sh -c #(nop) COPY dir:5c1b0e8d in /usr/src/app',
  ];
  const blobs = new Map<string, Buffer>();
  const layerDescs: { mediaType: string; digest: string; size: number }[] = [];
  const diffIds: string[] = [];
  for (const entries of layers) {
    const raw = await tarBuffer(entries);
    const gz = gzipSync(raw, { level: 9 });
    diffIds.push(sha(raw));
    const d = sha(gz);
    blobs.set(d, gz);
    layerDescs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d, size: gz.length });
  }
  const history = [
    { created: '2021-09-01T00:00:00Z', created_by: createdBy[0] },
    { created: '2021-09-01T00:00:00Z', created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
    { created: '2021-09-02T00:00:00Z', created_by: createdBy[1] },
    { created: '2021-09-02T00:00:00Z', created_by: createdBy[2] },
    {
      created: '2021-09-02T00:00:00Z',
      created_by: '/bin/sh -c #(nop) WORKDIR /usr/src/app',
      empty_layer: true,
    },
    { created: '2021-09-02T00:00:00Z', created_by: createdBy[3] },
    {
      created: '2021-09-02T00:00:00Z',
      created_by: '/bin/sh -c #(nop)  CMD ["node","server.js"]',
      empty_layer: true,
    },
  ];
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: '2021-09-02T00:00:00Z',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_ENV=production'],
      Cmd: ['node', 'server.js'],
      WorkingDir: '/usr/src/app',
      Labels: { 'org.opencontainers.image.title': 'bulwark demo image' },
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  };
  const configBuf = Buffer.from(JSON.stringify(config));
  const configDigest = sha(configBuf);
  blobs.set(configDigest, configBuf);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: configBuf.length,
    },
    layers: layerDescs,
  };
  const manifestBuf = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = sha(manifestBuf);
  blobs.set(manifestDigest, manifestBuf);
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: manifest.mediaType,
        digest: manifestDigest,
        size: manifestBuf.length,
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: { 'org.opencontainers.image.ref.name': 'demo' },
      },
    ],
  };
  const files: Entry[] = [
    { name: 'oci-layout', body: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
    { name: 'index.json', body: JSON.stringify(index) },
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' },
  ];
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  for (const f of files) {
    const type = f.type ?? 'file';
    await new Promise<void>((res, rej) =>
      pack.entry(
        { name: f.name, mtime: MTIME, type, mode: type === 'directory' ? 0o755 : 0o644 },
        f.body ?? '',
        (e) => (e ? rej(e) : res()),
      ),
    );
  }
  for (const [d, b] of [...blobs].sort((a, b) => a[0].localeCompare(b[0]))) {
    await new Promise<void>((res, rej) =>
      pack.entry({ name: `blobs/sha256/${d.slice(7)}`, mtime: MTIME, mode: 0o644 }, b, (e) =>
        e ? rej(e) : res(),
      ),
    );
  }
  pack.finalize();
  await ended;
  writeFileSync(path.join(out, 'demo-image.oci.tar'), Buffer.concat(chunks));
}

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, s) => {
          if (e || !s) return reject(e);
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, buf] of [...entries].sort((a, b) => a[0].localeCompare(b[0]))) {
    zip.addBuffer(buf, name, { mtime: new Date('1980-01-01T00:00:00Z'), mode: 0o100644 });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const ws = createWriteStream(file);
    zip.outputStream
      .pipe(ws)
      .on('close', () => resolve())
      .on('error', reject);
  });
}

/**
 * NVD's records of the mirror's CVEs as NVD JSON 2.0 feed files, one per CVE year (the layout
 * `db update --mirror` reads from `nvd/`, listed in `nvd/feeds.txt`). Only recorded CVEs can be
 * rated; the rest stay UNKNOWN in the demo, as they would without NVD.
 */
function buildNvd(dir: string, cves: Set<string>): void {
  const nvdDir = path.join(dir, 'nvd');
  mkdirSync(nvdDir, { recursive: true });
  const byYear = new Map<string, unknown[]>();
  const files = readdirSync(nvdRecords)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const f of files) {
    const cve = JSON.parse(readFileSync(path.join(nvdRecords, f), 'utf8')) as { id: string };
    if (!cves.has(cve.id)) continue;
    const year = cve.id.split('-')[1]!;
    byYear.set(year, [...(byYear.get(year) ?? []), cve]);
  }
  const names: string[] = [];
  for (const [year, list] of [...byYear].sort((a, b) => a[0].localeCompare(b[0]))) {
    const doc = {
      resultsPerPage: list.length,
      startIndex: 0,
      totalResults: list.length,
      format: 'NVD_CVE',
      version: '2.0',
      timestamp: '2026-11-20T00:00:00.000',
      vulnerabilities: list.map((cve) => ({ cve })),
    };
    const name = `nvdcve-2.0-${year}.json.gz`;
    writeFileSync(path.join(nvdDir, name), gzipSync(`${JSON.stringify(doc, null, 1)}\n`, { level: 9 }));
    names.push(name);
  }
  writeFileSync(path.join(nvdDir, 'feeds.txt'), `${names.join('\n')}\n`);
  console.error(
    `nvd: kept ${[...byYear.values()].reduce((n, l) => n + l.length, 0)} of ${files.length} records`,
  );
}

async function buildMirror(): Promise<void> {
  const dir = path.join(out, 'osv');
  rmSync(dir, { recursive: true, force: true });
  const cves = new Set<string>();
  const keep: Record<string, (r: { affected?: { package?: { ecosystem?: string } }[] }) => boolean> = {
    Debian: (r) => (r.affected ?? []).some((a) => a.package?.ecosystem === 'Debian:11'),
    // one GHSA record: it rates Log4Shell, which the Debian advisory matched in the image leaves unrated
    Maven: () => true,
    npm: () => true,
  };
  for (const [eco, pred] of Object.entries(keep)) {
    const all = await readZip(path.join(mirror, eco, 'all.zip'));
    const kept = new Map<string, Buffer>();
    for (const [name, buf] of all) {
      const rec = JSON.parse(buf.toString('utf8'));
      if (!pred(rec)) continue;
      kept.set(name, buf);
      for (const a of [rec.id, ...(rec.aliases ?? [])]) if (/^CVE-/.test(a)) cves.add(a);
    }
    mkdirSync(path.join(dir, eco), { recursive: true });
    await writeZip(path.join(dir, eco, 'all.zip'), kept);
    console.error(`${eco}: kept ${kept.size} of ${all.size} records`);
  }
  writeFileSync(path.join(dir, 'ecosystems.txt'), `${Object.keys(keep).join('\n')}\n`);
  const kev = JSON.parse(
    readFileSync(path.join(mirror, 'kev', 'known_exploited_vulnerabilities.json'), 'utf8'),
  );
  kev.vulnerabilities = kev.vulnerabilities.filter((v: { cveID: string }) => cves.has(v.cveID));
  kev.count = kev.vulnerabilities.length;
  mkdirSync(path.join(dir, 'kev'), { recursive: true });
  writeFileSync(
    path.join(dir, 'kev', 'known_exploited_vulnerabilities.json'),
    `${JSON.stringify(kev, null, 1)}\n`,
  );
  console.error(`kev: kept ${kev.count} entries`);
  buildNvd(dir, cves);
}

mkdirSync(out, { recursive: true });
await buildImage();
await buildMirror();
