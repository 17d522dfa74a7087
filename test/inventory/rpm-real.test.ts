// Differential test: our rpm database readers against rpm itself, on databases rpm wrote (SQLite)
// or read back (BerkeleyDB hash made by db5.3_load from the same header blobs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { rpmAnalyzer } from '../../src/inventory/analyzers/rpm.js';
import { writeNdb } from './helpers/ndb-writer.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-rpm-'));
const QF = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n';

interface Spec {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  noarch?: boolean;
  license?: string;
  subpackages?: string[];
}

function buildRpms(spec: Spec): string[] {
  const lines = [
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Release: ${spec.release}`,
    ...(spec.epoch !== undefined ? [`Epoch: ${spec.epoch}`] : []),
    'Summary: bulwark test package',
    `License: ${spec.license ?? 'MIT'}`,
    'Vendor: Bulwark Test',
    ...(spec.noarch ? ['BuildArch: noarch'] : []),
    '%description',
    'test',
    '%files',
  ];
  for (const sub of spec.subpackages ?? []) {
    lines.push(`%package ${sub}`, `Summary: ${sub}`, `%description ${sub}`, sub, `%files ${sub}`);
  }
  const top = path.join(tmp, 'top');
  const file = path.join(tmp, `${spec.name}.spec`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', file], { stdio: 'ignore' });
  const out: string[] = [];
  for (const arch of readdirSync(path.join(top, 'RPMS'))) {
    for (const f of readdirSync(path.join(top, 'RPMS', arch))) {
      if (f.startsWith(`${spec.name}-`)) out.push(path.join(top, 'RPMS', arch, f));
    }
  }
  return out;
}

function rpmQa(dbpath: string, backend?: string): string[] {
  const args = [
    ...(backend ? ['--define', `_db_backend ${backend}`] : []),
    '--dbpath',
    dbpath,
    '-qa',
    '--qf',
    QF,
  ];
  const r = spawnSync('rpm', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /error/i);
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('gpg-pubkey\t'))
    .sort();
}

function ours(file: string, inImagePath: string): { lines: string[]; warnings: number } {
  const content = readFileSync(file);
  const out = rpmAnalyzer.analyze(
    { path: inImagePath, content, size: content.length, mode: 0o644 },
    { maxBytes: 1 << 26 },
  );
  const lines = (out.packages ?? []).map((p) => {
    const epoch = p.metadata?.epoch ?? 0;
    const vr = p.version.includes(':') ? p.version.slice(p.version.indexOf(':') + 1) : p.version;
    return `${p.name}\t${epoch}:${vr}\t${p.arch}\t${p.metadata?.sourceRpm}`;
  });
  return { lines: lines.sort(), warnings: out.warnings?.length ?? 0 };
}

function sqliteBlobs(dbfile: string): { hnum: number; blob: Buffer }[] {
  const db = new Database(dbfile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as {
      hnum: number;
      blob: Buffer;
    }[];
  } finally {
    db.close();
  }
}

const sqliteDir = path.join(tmp, 'sqlite');
const bdbDir = path.join(tmp, 'bdb');
const bdbBigDir = path.join(tmp, 'bdb-be');
const bdbManyDir = path.join(tmp, 'bdb-many');

/**
 * BerkeleyDB hash `Packages` written by Debian's db5.3_load from header blobs, keyed the way rpm
 * keys them: the header number in the database's byte order, plus rpm's record 0 (next instance).
 */
function makeBdb(
  dir: string,
  blobs: { hnum: number; blob: Buffer }[],
  o: { pageSize: number; bigEndian: boolean },
): void {
  const key = (n: number): string => {
    const b = Buffer.alloc(4);
    if (o.bigEndian) b.writeUInt32BE(n);
    else b.writeUInt32LE(n);
    return b.toString('hex');
  };
  const lines = [
    'VERSION=3',
    'format=bytevalue',
    'type=hash',
    `db_pagesize=${o.pageSize}`,
    `db_lorder=${o.bigEndian ? 4321 : 1234}`,
    'HEADER=END',
  ];
  lines.push(` ${key(0)}`, ` ${key(blobs.length + 1)}`);
  for (const { hnum, blob } of blobs) lines.push(` ${key(hnum)}`, ` ${blob.toString('hex')}`);
  lines.push('DATA=END', '');
  mkdirSync(dir, { recursive: true });
  const dump = path.join(dir, 'dump.txt');
  writeFileSync(dump, lines.join('\n'));
  execFileSync('db5.3_load', ['-f', dump, path.join(dir, 'Packages')]);
}

describe('rpm analyzer vs rpm -qa', () => {
  before(() => {
    const rpms = [
      ...buildRpms({
        name: 'openssl',
        version: '3.0.7',
        release: '24.el9',
        epoch: 1,
        subpackages: ['libs', 'devel'],
        license: 'ASL 2.0',
      }),
      ...buildRpms({
        name: 'tzdata',
        version: '2024a',
        release: '1.el9',
        noarch: true,
        license: 'Public Domain',
      }),
      ...buildRpms({ name: 'zero-epoch', version: '1.0', release: '1', epoch: 0 }),
      ...buildRpms({
        name: 'libstdc++',
        version: '11.4.1~rc1^git1',
        release: '2.el9_2',
        subpackages: ['static'],
      }),
      ...buildRpms({ name: 'python3-urllib3', version: '1.26.5', release: '3.el9', noarch: true, epoch: 2 }),
    ];
    assert.equal(rpms.length, 8);
    mkdirSync(sqliteDir, { recursive: true });
    execFileSync('rpm', ['--initdb', '--dbpath', sqliteDir]);
    execFileSync('rpm', ['--dbpath', sqliteDir, '-i', '--nodeps', '--justdb', '--noscripts', ...rpms], {
      stdio: 'ignore',
    });

    const blobs = sqliteBlobs(path.join(sqliteDir, 'rpmdb.sqlite'));
    makeBdb(bdbDir, blobs, { pageSize: 512, bigEndian: false });
    makeBdb(bdbBigDir, blobs, { pageSize: 1024, bigEndian: true });
    // many records: many buckets, hash pages chained per bucket, long overflow chains
    const many = Array.from({ length: 240 }, (_, i) => ({
      hnum: i + 1,
      blob: blobs[i % blobs.length]!.blob,
    }));
    makeBdb(bdbManyDir, many, { pageSize: 512, bigEndian: false });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads rpmdb.sqlite exactly as rpm lists it', () => {
    const want = rpmQa(sqliteDir);
    assert.equal(want.length, 8);
    assert.ok(want.includes('openssl-libs\t1:3.0.7-24.el9\tx86_64\topenssl-3.0.7-24.el9.src.rpm'));
    const got = ours(path.join(sqliteDir, 'rpmdb.sqlite'), 'var/lib/rpm/rpmdb.sqlite');
    assert.deepEqual(got.lines, want);
    assert.equal(got.warnings, 0);
  });

  it('reads a BerkeleyDB hash Packages file exactly as rpm (bdb_ro) lists it', () => {
    const want = rpmQa(bdbDir, 'bdb_ro');
    assert.deepEqual(want, rpmQa(sqliteDir));
    const got = ours(path.join(bdbDir, 'Packages'), 'var/lib/rpm/Packages');
    assert.deepEqual(got.lines, want);
    assert.equal(got.warnings, 0);
  });

  it('reads a big-endian BerkeleyDB file with 1 KiB pages as rpm does', () => {
    const content = readFileSync(path.join(bdbBigDir, 'Packages'));
    assert.equal(content.readUInt32BE(12), 0x00061561);
    const want = rpmQa(bdbBigDir, 'bdb_ro');
    assert.equal(want.length, 8);
    assert.deepEqual(ours(path.join(bdbBigDir, 'Packages'), 'var/lib/rpm/Packages').lines, want);
  });

  it('reads a BerkeleyDB file with hundreds of records across buckets as rpm does', () => {
    const want = rpmQa(bdbManyDir, 'bdb_ro');
    assert.equal(want.length, 240);
    const got = ours(path.join(bdbManyDir, 'Packages'), 'var/lib/rpm/Packages');
    assert.deepEqual(got.lines, want);
    assert.equal(got.warnings, 0);
  });

  it('reads an NDB Packages.db built from the same headers', () => {
    const blobs = sqliteBlobs(path.join(sqliteDir, 'rpmdb.sqlite'));
    const file = path.join(tmp, 'Packages.db');
    writeFileSync(file, writeNdb(blobs.map((b) => b.blob)));
    const got = ours(file, 'usr/lib/sysimage/rpm/Packages.db');
    assert.deepEqual(got.lines, rpmQa(sqliteDir));
    assert.equal(got.warnings, 0);
  });

  it('maps fields: version with epoch only when set, source name, licence, purl', () => {
    const content = readFileSync(path.join(sqliteDir, 'rpmdb.sqlite'));
    const pkgs = rpmAnalyzer.analyze(
      { path: 'var/lib/rpm/rpmdb.sqlite', content, size: content.length, mode: 0 },
      { maxBytes: 1 << 26 },
    ).packages!;
    const libs = pkgs.find((p) => p.name === 'openssl-libs')!;
    assert.equal(libs.version, '1:3.0.7-24.el9');
    assert.equal(libs.sourceName, 'openssl');
    assert.equal(libs.sourceVersion, undefined);
    assert.deepEqual(libs.licenses, ['ASL 2.0']);
    assert.equal(libs.purl, 'pkg:rpm/rpm/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1');
    const tz = pkgs.find((p) => p.name === 'tzdata')!;
    assert.equal(tz.version, '2024a-1.el9');
    assert.equal(tz.arch, 'noarch');
    assert.equal(pkgs.find((p) => p.name === 'zero-epoch')!.version, '0:1.0-1');
    assert.equal(pkgs.find((p) => p.name === 'libstdc++-static')!.sourceName, 'libstdc++');
  });
});
