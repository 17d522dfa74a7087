import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apkAnalyzer } from '../../src/inventory/analyzers/apk.js';
import { dpkgAnalyzer } from '../../src/inventory/analyzers/dpkg.js';
import { finalizeOsPackage, mergeOsFacts } from '../../src/inventory/merge.js';
import { osReleaseAnalyzer } from '../../src/inventory/analyzers/os-release.js';
import { rpmAnalyzer } from '../../src/inventory/analyzers/rpm.js';
import type { Analyzer } from '../../src/inventory/types.js';

function run(a: Analyzer, path: string, content: Buffer | string) {
  const b = Buffer.isBuffer(content) ? content : Buffer.from(content);
  assert.ok(a.required(path, b.length), `${a.id} wants ${path}`);
  return a.analyze({ path, content: b, size: b.length, mode: 0o644 }, { maxBytes: 1 << 26 });
}

// distroless status.d entries are the packages' control files: no Status field
const LIBC6 = `Package: libc6
Source: glibc
Version: 2.36-9+deb12u4
Architecture: amd64
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Installed-Size: 12985
Depends: libgcc-s1
Section: libs
Priority: optional
Multi-Arch: same
Homepage: https://www.gnu.org/software/libc/libc.html
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
`;

describe('dpkg analyzer: distroless status.d', () => {
  it('wants package files but not md5sums or nested paths', () => {
    assert.ok(dpkgAnalyzer.required('var/lib/dpkg/status.d/libc6', 10));
    assert.ok(!dpkgAnalyzer.required('var/lib/dpkg/status.d/libc6.md5sums', 10));
    assert.ok(!dpkgAnalyzer.required('var/lib/dpkg/status.d/', 10));
    assert.ok(!dpkgAnalyzer.required('var/lib/dpkg/status.d/x/y', 10));
    assert.ok(!dpkgAnalyzer.required('var/lib/dpkg/status-old', 10));
  });

  it('lists a status.d package and marks the OS distroless', () => {
    const out = run(dpkgAnalyzer, 'var/lib/dpkg/status.d/libc6', LIBC6);
    const [pkg] = out.packages!;
    assert.equal(pkg!.name, 'libc6');
    assert.equal(pkg!.sourceName, 'glibc');
    assert.equal(pkg!.metadata?.multiArch, 'same');
    const osOut = run(
      osReleaseAnalyzer,
      'etc/os-release',
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\n',
    );
    const os = mergeOsFacts([{ path: 'etc/os-release', os: osOut.os! }], [pkg!.location])!;
    assert.equal(os.distroless, true);
    const final = finalizeOsPackage(pkg!, os);
    assert.equal(final.ecosystem, 'Debian');
    assert.equal(final.purl, 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12');
  });

  it('turns a status file of garbage into a warning naming the file', () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 97 + 13) % 256));
    const out = run(dpkgAnalyzer, 'var/lib/dpkg/status', garbage);
    assert.deepEqual(out.packages, []);
    assert.ok(out.warnings!.length >= 1);
    assert.ok(out.warnings!.every((w) => w.input === 'var/lib/dpkg/status'));
  });
});

describe('apk analyzer', () => {
  const fixture = readFileSync(
    new URL('../../src/ecosystems/alpine/__fixtures__/installed', import.meta.url),
  );

  it('lists packages with origin as source name and a warning for the broken block', () => {
    const out = run(apkAnalyzer, 'lib/apk/db/installed', fixture);
    assert.equal(out.packages!.length, 8);
    const ssl = out.packages!.find((p) => p.name === 'libssl1.0')!;
    assert.equal(ssl.sourceName, 'openssl');
    assert.equal(ssl.purl, 'pkg:apk/alpine/libssl1.0@1.0.2h-r1?arch=x86_64');
    assert.deepEqual(ssl.licenses, ['openssl']);
    assert.equal(out.warnings![0]!.code, 'APK_MALFORMED');
    const os = { family: 'alpine', name: 'Alpine Linux', version: '3.4.6', ecosystem: 'Alpine:v3.4' };
    assert.equal(
      finalizeOsPackage(ssl, os).purl,
      'pkg:apk/alpine/libssl1.0@1.0.2h-r1?arch=x86_64&distro=alpine-3.4.6',
    );
  });

  it('warns on garbage and only wants the installed database', () => {
    const out = run(apkAnalyzer, 'lib/apk/db/installed', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a, 0x42]));
    assert.deepEqual(out.packages, []);
    assert.equal(out.warnings![0]!.input, 'lib/apk/db/installed');
    assert.ok(!apkAnalyzer.required('lib/apk/db/installed.old', 10));
  });
});

describe('rpm analyzer paths', () => {
  it('wants every rpmdb location and nothing beside them', () => {
    for (const dir of ['var/lib/rpm', 'usr/lib/sysimage/rpm']) {
      for (const f of ['Packages', 'Packages.db', 'rpmdb.sqlite'])
        assert.ok(rpmAnalyzer.required(`${dir}/${f}`, 1), `${dir}/${f}`);
      for (const f of ['Name', 'rpmdb.sqlite-wal', '__db.001'])
        assert.ok(!rpmAnalyzer.required(`${dir}/${f}`, 1), `${dir}/${f}`);
    }
  });
});
