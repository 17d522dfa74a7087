import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { renderCycloneDx } from '../../src/report/cyclonedx.js';
import {
  renderJson,
  renderSarif,
  renderTable,
  type JsonReport,
  type ScanReport,
} from '../../src/report/index.js';
import { scanDemoImage } from '../helpers/demo-scan.js';

// End to end on real data: the bundled Debian 11 demo image (OCI layout) scanned through the layer
// walker and analyzers, matched against a SQLite database built from the bundled OSV subset, and
// every output format validated against its schema.
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-demo-report-'));
let report: ScanReport;

before(async () => {
  report = await scanDemoImage(tmp);
});

after(() => rmSync(tmp, { recursive: true, force: true }));

describe('reports of a real scan (bundled demo image and database)', () => {
  it('finds OS and npm vulnerabilities with layers', () => {
    assert.ok(report.findings.length > 20);
    const ecosystems = new Set(report.findings.map((f) => f.package.ecosystem));
    assert.ok(ecosystems.has('Debian') && ecosystems.has('npm'), [...ecosystems].join(','));
    assert.ok(report.findings.every((f) => f.package.layer?.diffId.startsWith('sha256:')));
    // Debian findings are matched through the source package (curl's library libcurl4 -> curl)
    const libcurl = report.findings.find((f) => f.package.name === 'libcurl4');
    assert.equal(libcurl?.matched.name, 'curl');
  });

  it('JSON validates against the report schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(path.join(here, '../../src/report/schema/report.schema.json'), 'utf8'),
      ) as object,
    );
    const doc = JSON.parse(renderJson(report)) as JsonReport;
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(doc.summary.findings, report.findings.length);
  });

  it('SARIF validates against the official 2.1.0 schema', () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(path.join(here, '../fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8'),
      ) as object,
    );
    assert.equal(validate(JSON.parse(renderSarif(report))), true, JSON.stringify(validate.errors, null, 2));
  });

  it('CycloneDX validates against the 1.6 schema', async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    assert.equal(await validator.validate(renderCycloneDx(report)), null);
  });

  it('table lists every finding', () => {
    const text = renderTable(report);
    for (const f of report.findings) assert.ok(text.includes(f.id), f.id);
  });
});
