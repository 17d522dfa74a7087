import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { renderCycloneDxSbom } from '../../src/sbom/cyclonedx.js';
import { renderSpdxSbom } from '../../src/sbom/index.js';
import { assertGolden, sampleInventory, spdxValidator, TIMESTAMP } from './sample.js';

interface CdxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  purl?: string;
  scope?: string;
  licenses?: ({ expression: string } | { license: { id?: string; name?: string } })[];
  properties?: { name: string; value: string }[];
}
interface Cdx {
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: CdxComponent };
  components: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
}
interface SpdxPkg {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  licenseDeclared: string;
  licenseConcluded: string;
  downloadLocation: string;
  primaryPackagePurpose?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  annotations?: { comment: string }[];
}
interface Spdx {
  spdxVersion: string;
  SPDXID: string;
  documentNamespace: string;
  creationInfo: { created: string };
  packages: SpdxPkg[];
  relationships: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
}

const opts = { toolVersion: '0.1.0', timestamp: TIMESTAMP };
const props = (c: CdxComponent) => Object.fromEntries((c.properties ?? []).map((p) => [p.name, p.value]));

describe('CycloneDX 1.6 SBOM writer', () => {
  const text = renderCycloneDxSbom(sampleInventory(), opts);
  const bom = JSON.parse(text) as Cdx;

  it('validates against the CycloneDX 1.6 JSON schema bundled with the library (strict)', async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    assert.equal(await validator.validate(text), null);
    const broken = JSON.stringify({ ...bom, components: [{ ...bom.components[0], type: 'banana' }] });
    assert.notEqual(await validator.validate(broken), null);
  });

  it('describes the target, the OS and every package with purl, location and layer', () => {
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.metadata.timestamp, TIMESTAMP);
    assert.equal(bom.metadata.component.type, 'container');
    assert.equal(bom.metadata.component.name, 'registry.example/team/app:1.0');
    const os = bom.components.find((c) => c.type === 'operating-system');
    assert.deepEqual([os?.name, os?.version], ['debian', '12']);
    const libs = bom.components.filter((c) => c.type === 'library');
    assert.equal(libs.length, 5);
    const ssl = libs.find((c) => c.name === 'libssl3')!;
    assert.equal(ssl.purl, 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12');
    assert.equal(props(ssl)['bulwark:layer:diffId'], sampleInventory().target.layers![0]!.diffId);
    assert.equal(props(ssl)['bulwark:layer:digest'], sampleInventory().target.layers![0]!.digest);
    assert.equal(props(ssl)['bulwark:location'], 'var/lib/dpkg/status');
    assert.equal(props(ssl)['bulwark:source:name'], 'openssl');
    const scoped = libs.find((c) => c.name === '@types/node')!;
    assert.equal(scoped.purl, 'pkg:npm/%40types/node@20.1.0');
    assert.equal(props(scoped)['bulwark:metadata:dev'], 'true');
    assert.equal(scoped.scope, 'excluded', 'a dev dependency is not needed at run time');
    assert.equal(ssl.scope, undefined);
  });

  it('writes SPDX licences as ids or expressions and anything else as a licence name', () => {
    const lic = (n: string) => bom.components.find((c) => c.name === n)?.licenses;
    assert.deepEqual(lic('express'), [{ license: { id: 'MIT' } }]);
    assert.deepEqual(lic('qs'), [{ expression: 'BSD-3-Clause OR MIT' }]);
    assert.deepEqual(lic('@types/node'), [
      { license: { name: 'Custom: see LICENSE.txt' } },
      { license: { id: 'MIT' } },
    ]);
    assert.equal(lic('zlib1g'), undefined);
  });

  it('keeps the dependency graph, dropping edges to packages it does not list', () => {
    const express = bom.dependencies?.find((d) => d.ref === 'pkg:npm/express@4.17.1');
    assert.deepEqual(express?.dependsOn, ['pkg:npm/%40types/node@20.1.0', 'pkg:npm/qs@6.7.0']);
    const target = bom.dependencies?.find((d) => d.ref === 'target');
    assert.deepEqual(target?.dependsOn, ['os:debian@12']);
  });

  it('is deterministic: input order and time do not change the serial number; content does', () => {
    const shuffled = sampleInventory();
    shuffled.packages.reverse();
    assert.equal(renderCycloneDxSbom(shuffled, opts), text);
    const later = JSON.parse(
      renderCycloneDxSbom(sampleInventory(), { ...opts, timestamp: '2027-01-01T00:00:00Z' }),
    ) as Cdx;
    assert.equal(later.serialNumber, bom.serialNumber);
    const changed = sampleInventory();
    changed.packages[0]!.version = '3.0.13-1~deb12u1';
    assert.notEqual((JSON.parse(renderCycloneDxSbom(changed, opts)) as Cdx).serialNumber, bom.serialNumber);
    assert.match(
      bom.serialNumber,
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assertGolden('image.cdx.json.golden', text);
  });
});

describe('SPDX 2.3 SBOM writer', () => {
  const text = renderSpdxSbom(sampleInventory(), opts);
  const doc = JSON.parse(text) as Spdx;
  const validate = spdxValidator();

  it('validates against the official SPDX 2.3 JSON schema, which rejects a broken document', () => {
    assert.equal(validate(doc), null);
    assert.notEqual(validate({ ...doc, packages: [{ ...doc.packages[1], SPDXID: 'not an id' }] }), null);
    assert.notEqual(
      validate({ ...doc, creationInfo: { created: '2026-11-22T12:00:00.000Z', creators: [] } }),
      null,
    );
  });

  it('describes the image as the root package that contains the OS and every package', () => {
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
    assert.equal(doc.creationInfo.created, '2026-11-22T12:00:00Z');
    const describes = doc.relationships.filter((r) => r.relationshipType === 'DESCRIBES');
    assert.equal(describes.length, 1);
    const rootId = describes[0]!.relatedSpdxElement;
    const root = doc.packages.find((p) => p.SPDXID === rootId)!;
    assert.equal(root.primaryPackagePurpose, 'CONTAINER');
    const contains = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS');
    assert.equal(contains.length, 6, 'the OS and 5 packages');
    assert.ok(contains.every((r) => r.spdxElementId === rootId));
    const os = doc.packages.find((p) => p.primaryPackagePurpose === 'OPERATING-SYSTEM');
    assert.deepEqual([os?.name, os?.versionInfo], ['debian', '12']);
  });

  it('gives each package a purl reference, NOASSERTION where unknown and LicenseRefs for non-SPDX licences', () => {
    const pkg = (n: string) => doc.packages.find((p) => p.name === n)!;
    assert.deepEqual(pkg('express').externalRefs, [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: 'pkg:npm/express@4.17.1',
      },
    ]);
    assert.equal(pkg('express').downloadLocation, 'NOASSERTION');
    assert.equal(pkg('express').licenseDeclared, 'MIT');
    assert.equal(pkg('express').licenseConcluded, 'NOASSERTION');
    assert.equal(pkg('zlib1g').licenseDeclared, 'NOASSERTION');
    assert.equal(pkg('qs').licenseDeclared, 'BSD-3-Clause OR MIT');
    const types = pkg('@types/node').licenseDeclared;
    assert.match(types, /^MIT AND LicenseRef-Custom-see-LICENSE.txt-[0-9a-f]{8}$/);
    const ref = types.split(' AND ')[1]!;
    assert.deepEqual(
      doc.hasExtractedLicensingInfos?.find((x) => x.licenseId === ref)?.extractedText,
      'Custom: see LICENSE.txt',
    );
    const notes = (pkg('libssl3').annotations ?? []).map((a) => a.comment);
    assert.ok(notes.includes(`bulwark:layer:diffId=${sampleInventory().target.layers![0]!.diffId}`));
  });

  it('writes DEPENDS_ON edges from the dependency graph', () => {
    const id = (n: string) => doc.packages.find((p) => p.name === n)!.SPDXID;
    const deps = doc.relationships
      .filter((r) => r.relationshipType === 'DEPENDS_ON')
      .map((r) => [r.spdxElementId, r.relatedSpdxElement]);
    assert.deepEqual(
      deps,
      [
        [id('express'), id('@types/node')],
        [id('express'), id('qs')],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
  });

  it('says DEV_DEPENDENCY_OF the described target for development dependencies only', () => {
    const id = (n: string) => doc.packages.find((p) => p.name === n)!.SPDXID;
    const dev = doc.relationships
      .filter((r) => r.relationshipType === 'DEV_DEPENDENCY_OF')
      .map((r) => [r.spdxElementId, r.relatedSpdxElement]);
    const root = doc.relationships.find((r) => r.relationshipType === 'DESCRIBES')!.relatedSpdxElement;
    assert.deepEqual(dev, [[id('@types/node'), root]]);
  });

  it('is deterministic, with a document namespace that changes only with the content', () => {
    const shuffled = sampleInventory();
    shuffled.packages.reverse();
    assert.equal(renderSpdxSbom(shuffled, opts), text);
    const changed = sampleInventory();
    changed.packages.pop();
    assert.notEqual(
      (JSON.parse(renderSpdxSbom(changed, opts)) as Spdx).documentNamespace,
      doc.documentNamespace,
    );
    const later = JSON.parse(
      renderSpdxSbom(sampleInventory(), { ...opts, timestamp: '2027-01-01T00:00:00Z' }),
    ) as Spdx;
    assert.equal(later.documentNamespace, doc.documentNamespace);
    assertGolden('image.spdx.json.golden', text);
  });

  it('stays valid for a folder without OS, layers or licences', () => {
    const inv = sampleInventory();
    const folder = {
      target: { kind: 'fs' as const, name: './service' },
      packages: inv.packages.filter((p) => p.type === 'lang').map(({ layer: _layer, ...p }) => p),
      warnings: [],
    };
    const spdx = JSON.parse(renderSpdxSbom(folder, opts)) as Spdx;
    assert.equal(validate(spdx), null);
    assert.equal(spdx.packages[0]!.primaryPackagePurpose, 'APPLICATION');
  });
});
