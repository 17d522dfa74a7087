import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { renderJson, renderReport, type JsonReport } from '../../src/report/index.js';
import { assertGolden, sampleInventory, sampleReport } from './sample.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schemaFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../src/report/schema/report.schema.json',
);

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
}

describe('JSON report', () => {
  const report = sampleReport();
  const text = renderJson(report);
  const doc = JSON.parse(text) as JsonReport;

  it('validates against the documented JSON Schema', () => {
    const validate = validator();
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
  });

  it('rejects documents that break the schema', () => {
    const validate = validator();
    const broken = structuredClone(doc);
    (broken.findings[0] as { severity: string }).severity = 'SEVERE';
    assert.equal(validate(broken), false);
    const noLayer = structuredClone(doc) as unknown as { findings: Record<string, unknown>[] };
    delete noLayer.findings[0]!['layer'];
    assert.equal(validate(noLayer), false);
  });

  it('carries ids, aliases, package, fix, severity and layer for every finding', () => {
    const log4j = doc.findings.find((f) => f.id === 'CVE-2021-44228')!;
    assert.deepEqual(log4j.aliases, ['GHSA-jfh8-c2jp-5v3q']);
    assert.deepEqual(log4j.package, {
      name: 'org.apache.logging.log4j:log4j-core',
      version: '2.14.1',
      ecosystem: 'Maven',
      type: 'lang',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      sourceName: null,
      sourceVersion: null,
      location: 'app/lib/log4j-core-2.14.1.jar',
    });
    assert.equal(log4j.fixedVersion, '2.15.0');
    assert.equal(log4j.severity, 'CRITICAL');
    assert.deepEqual(log4j.layer, {
      digest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
      diffId: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      createdBy: 'COPY app/ /app/ # buildkit',
    });
    assert.equal(log4j.kev?.dateAdded, '2021-12-10');
    assert.equal(doc.schemaVersion, '1.1.0');
    assert.equal(doc.kind, 'scan');
  });

  it('lists ignored findings as suppressed with their reason and counts them', () => {
    assert.deepEqual(
      doc.suppressed.map((s) => [s.id, s.suppression.reason]),
      [['CVE-2025-47906', 'os/exec LookPath is not reachable']],
    );
    assert.equal(doc.summary.suppressed, 1);
    assert.ok(!doc.findings.some((f) => f.id === 'CVE-2025-47906'));
    assert.equal(doc.summary.findings, doc.findings.length);
    assert.equal(
      Object.values(doc.summary.bySeverity).reduce((a, b) => a + b, 0),
      doc.findings.length,
    );
  });

  it('never prints the image environment', () => {
    assert.ok(!text.includes('SECRET_TOKEN'));
  });

  it('is deterministic whatever the inventory order (golden file)', async () => {
    const inv = sampleInventory();
    inv.packages.reverse();
    assert.equal(renderJson(sampleReport(inv)), text);
    assert.equal(await renderReport('json', report), text);
    assertGolden('report.json', text);
  });
});
