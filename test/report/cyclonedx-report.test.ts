import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { renderCycloneDx } from '../../src/report/cyclonedx.js';
import { assertGolden, sampleReport } from './sample.js';

interface Cdx {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: { type: string; name: string } };
  components: {
    'bom-ref': string;
    name: string;
    version: string;
    purl: string;
    properties?: { name: string; value: string }[];
  }[];
  vulnerabilities: {
    id: string;
    ratings: { method?: string; score?: number; severity: string; vector?: string }[];
    references?: { id: string; source: { name?: string } }[];
    affects: { ref: string; versions: { version: string; status: string }[] }[];
  }[];
}

describe('CycloneDX 1.6', () => {
  const report = sampleReport();
  const text = renderCycloneDx(report);
  const bom = JSON.parse(text) as Cdx;

  it('validates against the CycloneDX 1.6 JSON schema bundled with the library (strict)', async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    assert.equal(await validator.validate(text), null);
    // and the validator does reject a broken document
    const broken = JSON.stringify({
      ...bom,
      vulnerabilities: [{ ...bom.vulnerabilities[0], ratings: 'high' }],
    });
    assert.notEqual(await validator.validate(broken), null);
  });

  it('lists every package with its purl and layer properties', () => {
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.metadata.timestamp, '2026-11-22T12:00:00.000Z');
    assert.equal(bom.metadata.component.type, 'container');
    assert.equal(bom.components.length, report.packages.length);
    const lodash = bom.components.find((c) => c.name === 'lodash')!;
    assert.equal(lodash.purl, 'pkg:npm/lodash@4.17.20');
    const props = Object.fromEntries((lodash.properties ?? []).map((p) => [p.name, p.value]));
    assert.equal(
      props['bulwark:layer:diffId'],
      'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    );
    assert.equal(props['bulwark:location'], 'app/package-lock.json');
  });

  it('describes vulnerabilities with ratings, aliases as references and affected components', () => {
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    for (const v of bom.vulnerabilities) for (const a of v.affects) assert.ok(refs.has(a.ref), a.ref);
    const log4j = bom.vulnerabilities.find((v) => v.id === 'CVE-2021-44228')!;
    assert.deepEqual(log4j.ratings, [
      {
        method: 'CVSSv31',
        score: 10,
        severity: 'critical',
        source: { name: 'GHSA-jfh8-c2jp-5v3q' },
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      },
    ]);
    assert.deepEqual(log4j.references, [
      { id: 'GHSA-jfh8-c2jp-5v3q', source: { name: 'GitHub Advisory Database' } },
    ]);
    assert.deepEqual(log4j.affects[0]!.versions, [{ version: '2.14.1', status: 'affected' }]);
    assert.equal(bom.vulnerabilities.length, report.findings.length);
  });

  it('is deterministic, serial number included (golden file)', () => {
    assert.equal(renderCycloneDx(sampleReport()), text);
    assert.match(
      bom.serialNumber,
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assertGolden('report.cdx.json', text);
  });
});
