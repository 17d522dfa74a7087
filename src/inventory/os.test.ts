import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { osEcosystem, osvEcosystemMatches } from './os.js';

describe('osEcosystem', () => {
  it('qualifies releases the way OSV names them', () => {
    assert.deepEqual(osEcosystem({ family: 'debian', version: '12' }), {
      base: 'Debian',
      release: '12',
      ecosystem: 'Debian:12',
    });
    assert.deepEqual(osEcosystem({ family: 'debian', version: '', codename: 'trixie' }), {
      base: 'Debian',
      release: '13',
      ecosystem: 'Debian:13',
    });
    assert.deepEqual(osEcosystem({ family: 'debian', version: 'sid' }), {
      base: 'Debian',
      ecosystem: 'Debian',
    });
    assert.equal(osEcosystem({ family: 'ubuntu', version: '24.04' }).ecosystem, 'Ubuntu:24.04');
    assert.equal(
      osEcosystem({ family: 'alpine', version: '3.20.0_alpha20240329' }).ecosystem,
      'Alpine:v3.20',
    );
    assert.equal(osEcosystem({ family: 'rocky', version: '8.9' }).ecosystem, 'Rocky Linux:8');
    assert.equal(osEcosystem({ family: 'centos', version: '7' }).base, 'Red Hat');
    assert.equal(osEcosystem({ family: 'wolfi', version: '20230201' }).ecosystem, 'Wolfi');
  });
});

describe('osvEcosystemMatches', () => {
  it('matches the qualified forms OSV uses', () => {
    assert.ok(osvEcosystemMatches('Debian:12', 'Debian:12'));
    assert.ok(!osvEcosystemMatches('Debian:11', 'Debian:12'));
    assert.ok(!osvEcosystemMatches('Debian', 'Debian:12'));
    assert.ok(osvEcosystemMatches('Ubuntu:22.04:LTS', 'Ubuntu:22.04'));
    assert.ok(osvEcosystemMatches('Ubuntu:Pro:18.04:LTS', 'Ubuntu:18.04'));
    assert.ok(osvEcosystemMatches('Ubuntu:23.10', 'Ubuntu:23.10'));
    assert.ok(!osvEcosystemMatches('Ubuntu:20.04:LTS', 'Ubuntu:22.04'));
    assert.ok(osvEcosystemMatches('Red Hat:enterprise_linux:9::appstream', 'Red Hat:9'));
    assert.ok(osvEcosystemMatches('Red Hat:rhel_eus:9.2::baseos', 'Red Hat:9'));
    assert.ok(!osvEcosystemMatches('Red Hat:enterprise_linux:8::baseos', 'Red Hat:9'));
    assert.ok(osvEcosystemMatches('Alpine:v3.19', 'Alpine:v3.19'));
    assert.ok(osvEcosystemMatches('Wolfi', 'Wolfi'));
    assert.ok(!osvEcosystemMatches('Alpine:v3.19', 'Wolfi'));
  });
});
