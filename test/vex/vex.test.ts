import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  ociPurl,
  ociTarget,
  parseVex,
  readVex,
  writeCycloneDxVex,
  writeOpenVex,
  type VexStatement,
} from '../../src/vex/index.js';
import { cycloneDxErrors, openVexErrors } from './schemas.js';

const IMAGE = ociPurl('docker.io/library/demo', 'sha256:' + 'ab'.repeat(32), 'latest');
const STATEMENTS: VexStatement[] = [
  {
    vulnId: 'CVE-2022-1664',
    aliases: ['DSA-5147-1'],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    impactStatement: 'dpkg never runs on untrusted archives here',
    products: [{ purl: IMAGE, packages: ['pkg:deb/debian/dpkg@1.20.9?arch=amd64&distro=debian-11'] }],
    timestamp: '2026-12-01T00:00:00.000Z',
  },
  {
    vulnId: 'DSA-5197-1',
    aliases: [],
    status: 'affected',
    actionStatement: 'upgrade curl to 7.74.0-1.3+deb11u2',
    products: [{ purl: ociPurl('docker.io/library/demo'), packages: [] }],
  },
  {
    vulnId: 'CVE-2024-0001',
    aliases: [],
    status: 'fixed',
    products: [{ purl: 'pkg:npm/lodash', packages: [] }],
  },
  {
    vulnId: 'CVE-2024-0002',
    aliases: [],
    status: 'under_investigation',
    statusNotes: 'looking',
    products: [],
  },
];
const META = {
  id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
  author: 'tests',
  timestamp: '2026-12-01T00:00:00.000Z',
};

describe('VEX formats', () => {
  it('writes OpenVEX 0.2.0 that the published schema accepts, and reads it back', () => {
    const doc = writeOpenVex(STATEMENTS, { ...META, tooling: 'bulwark test' });
    assert.equal(openVexErrors(doc), null);
    const back = readVex(doc, 'doc.json');
    assert.equal(back.format, 'openvex');
    assert.deepEqual(back.warnings, []);
    assert.deepEqual(
      back.statements.map((s) => ({ ...s, timestamp: undefined })),
      STATEMENTS.map((s) => ({ ...s, timestamp: undefined })),
    );
    assert.equal(back.statements[0]!.timestamp, '2026-12-01T00:00:00.000Z');
    // the schema is strict enough to fail: an affected statement without an action is refused
    const broken = structuredClone(doc) as { statements: Record<string, unknown>[] };
    delete broken.statements[1]!.action_statement;
    assert.notEqual(openVexErrors(broken), null);
  });

  it('writes CycloneDX 1.6 VEX that the bundled strict schema accepts, and reads it back', async () => {
    const doc = writeCycloneDxVex(STATEMENTS, { ...META, serialNumber: META.id });
    assert.equal(await cycloneDxErrors(doc), null);
    const back = readVex(doc, 'bom.json');
    assert.equal(back.format, 'cyclonedx');
    assert.deepEqual(back.warnings, []);
    assert.deepEqual(
      back.statements.map((s) => [s.vulnId, s.status, s.justification, s.products]),
      STATEMENTS.map((s) => [s.vulnId, s.status, s.justification, s.products]),
    );
    assert.equal(back.statements[1]!.actionStatement, 'upgrade curl to 7.74.0-1.3+deb11u2');
    const broken = structuredClone(doc) as { vulnerabilities: { analysis: { state: string } }[] };
    broken.vulnerabilities[0]!.analysis.state = 'maybe';
    assert.notEqual(await cycloneDxErrors(broken), null);
  });

  it('maps CycloneDX states and justifications to OpenVEX ones', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', 'bom-ref': 'c1', name: 'x', purl: 'pkg:npm/x@1.0.0' }],
      vulnerabilities: [
        { id: 'A', analysis: { state: 'false_positive' }, affects: [{ ref: 'c1' }] },
        { id: 'B', analysis: { state: 'resolved_with_pedigree' }, affects: [{ ref: 'urn:cdx:1234/1#c1' }] },
        {
          id: 'C',
          analysis: { state: 'not_affected', justification: 'protected_at_runtime' },
          affects: [{ ref: 'c1' }],
        },
        { id: 'D', analysis: { state: 'exploitable', response: ['will_not_fix'] }, affects: [{ ref: 'c1' }] },
      ],
    };
    const d = readVex(bom, 'bom');
    assert.deepEqual(
      d.statements.map((s) => [s.vulnId, s.status, s.justification ?? s.actionStatement]),
      [
        ['A', 'not_affected', 'vulnerable_code_not_present'],
        ['B', 'fixed', undefined],
        ['C', 'not_affected', 'inline_mitigations_already_exist'],
        ['D', 'affected', 'response: will_not_fix'],
      ],
    );
  });

  it('skips a bad statement on its own, and never widens one whose products are unusable', () => {
    const doc = writeOpenVex(STATEMENTS, META) as { statements: Record<string, unknown>[] };
    doc.statements.push(
      { vulnerability: { name: 'CVE-X' }, status: 'wontfix' },
      { vulnerability: {}, status: 'fixed' },
      { vulnerability: { name: 'CVE-Y' }, status: 'not_affected' },
      { vulnerability: { name: 'CVE-Z' }, status: 'fixed', products: [{ '@id': 'cpe:2.3:a:x:y:1' }] },
      'not an object' as never,
    );
    const d = readVex(doc, 'doc.json');
    assert.equal(d.statements.length, STATEMENTS.length);
    assert.equal(d.warnings.filter((w) => w.code === 'VEX_STATEMENT_SKIPPED').length, 5);
    assert.ok(!d.statements.some((s) => s.vulnId === 'CVE-Z'), 'no product left: skipped, not "everything"');

    const bom = {
      bomFormat: 'CycloneDX',
      vulnerabilities: [{ id: 'A', analysis: { state: 'resolved' }, affects: [{ ref: 'nowhere' }] }],
    };
    const b = readVex(bom, 'bom');
    assert.equal(b.statements.length, 0);
    assert.equal(b.warnings.length, 2);
  });

  it('refuses hostile documents with typed errors naming the input', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof BulwarkError, String(e));
        assert.equal(e.input, 'evil.json');
        return e.code;
      }
      return 'no error';
    };
    assert.equal(
      code(() => parseVex('{"@context": ', 'evil.json')),
      'MALFORMED_INPUT',
    );
    assert.equal(
      code(() => parseVex('['.repeat(200_000) + ']'.repeat(200_000), 'evil.json')),
      'UNSUPPORTED',
    );
    assert.equal(
      code(() => parseVex('{"a":1}', 'evil.json')),
      'UNSUPPORTED',
    );
    assert.equal(
      code(() => parseVex('x'.repeat(2000), 'evil.json', { maxBytes: 1000 })),
      'LIMIT_EXCEEDED',
    );
    const many = { '@context': 'https://openvex.dev/ns/v0.2.0', statements: new Array(50).fill({}) };
    assert.equal(
      code(() => readVex(many, 'evil.json', { maxStatements: 10 })),
      'LIMIT_EXCEEDED',
    );
    assert.equal(
      code(() => readVex({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: 'x' }, 'evil.json')),
      'MALFORMED_INPUT',
    );
    // deeply nested CycloneDX components: walked without recursion, bounded in count
    let nest: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 100_000; i++) nest = { type: 'library', name: 'n', components: [nest] };
    assert.equal(
      code(() =>
        readVex({ bomFormat: 'CycloneDX', components: [nest], vulnerabilities: [] }, 'evil.json', {
          maxProducts: 10,
        }),
      ),
      'LIMIT_EXCEEDED',
    );
    const long = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [{ vulnerability: { name: 'x'.repeat(20_000) }, status: 'fixed' }],
    };
    assert.equal(readVex(long, 'evil.json').statements.length, 0);
  });

  it('names images by OCI purl: digest for one image, no version for the repository', () => {
    const p = ociPurl('ghcr.io/acme/web', 'sha256:' + '0'.repeat(64), 'v1');
    assert.equal(p, `pkg:oci/web@sha256%3A${'0'.repeat(64)}?repository_url=ghcr.io/acme/web&tag=v1`);
    assert.deepEqual(ociTarget(p), { repository: 'ghcr.io/acme/web', digest: 'sha256:' + '0'.repeat(64) });
    assert.deepEqual(ociTarget('pkg:oci/web?repository_url=ghcr.io/acme/web'), {
      repository: 'ghcr.io/acme/web',
    });
  });
});
