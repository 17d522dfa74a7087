import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Package } from '../core/types.js';
import { finalizeOsPackage, mergeOsFacts } from './merge.js';

describe('mergeOsFacts', () => {
  it('prefers os-release and fills a missing version from debian_version', () => {
    const os = mergeOsFacts([
      {
        path: 'etc/debian_version',
        os: { family: 'debian', name: 'Debian GNU/Linux', version: 'trixie/sid' },
      },
      {
        path: 'etc/os-release',
        os: { family: 'debian', name: 'Debian GNU/Linux', version: '', codename: 'trixie' },
      },
    ])!;
    assert.equal(os.name, 'Debian GNU/Linux');
    assert.equal(os.version, 'trixie/sid');
    assert.equal(os.ecosystem, 'Debian:13');
    assert.equal(os.distroless, undefined);
  });

  it('marks distroless when dpkg packages come only from status.d', () => {
    const facts = [
      { path: 'etc/os-release', os: { family: 'debian', name: 'Debian GNU/Linux', version: '12' } },
    ];
    assert.equal(
      mergeOsFacts(facts, ['var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/base-files'])!.distroless,
      true,
    );
    assert.equal(mergeOsFacts(facts, ['var/lib/dpkg/status'])!.distroless, undefined);
    assert.equal(mergeOsFacts([]), undefined);
  });
});

describe('finalizeOsPackage', () => {
  const base: Omit<Package, 'layer'> = {
    name: 'libc6',
    version: '2.36-9+deb12u4',
    ecosystem: '',
    type: 'os',
    purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64',
    location: 'var/lib/dpkg/status',
  };

  it('sets ecosystem, namespace and distro qualifier', () => {
    const ubuntu = finalizeOsPackage(base, {
      family: 'ubuntu',
      name: 'Ubuntu',
      version: '22.04',
      ecosystem: 'Ubuntu:22.04',
    });
    assert.equal(ubuntu.ecosystem, 'Ubuntu');
    assert.equal(ubuntu.purl, 'pkg:deb/ubuntu/libc6@2.36-9+deb12u4?arch=amd64&distro=ubuntu-22.04');
    const rpm = finalizeOsPackage(
      { ...base, name: 'openssl', purl: 'pkg:rpm/rpm/openssl@3.0.7-24.el9?arch=x86_64&epoch=1' },
      { family: 'rocky', name: 'Rocky Linux', version: '9.3', ecosystem: 'Rocky Linux:9' },
    );
    assert.equal(rpm.ecosystem, 'Rocky Linux');
    assert.equal(rpm.purl, 'pkg:rpm/rocky/openssl@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1');
    const apk = finalizeOsPackage(
      { ...base, name: 'musl', purl: 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64' },
      { family: 'wolfi', name: 'Wolfi', version: '20230201', ecosystem: 'Wolfi' },
    );
    assert.equal(apk.purl, 'pkg:apk/wolfi/musl@1.2.4-r2?arch=x86_64&distro=wolfi-20230201');
  });

  it('leaves language packages and unknown OS alone', () => {
    const lang = { ...base, type: 'lang' as const, ecosystem: 'npm', purl: 'pkg:npm/a@1.0.0' };
    assert.deepEqual(
      finalizeOsPackage(lang, { family: 'debian', name: 'D', version: '12', ecosystem: 'Debian:12' }),
      lang,
    );
    assert.deepEqual(finalizeOsPackage(base, undefined), base);
  });
});
