import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { renderSarif, toSarif } from '../../src/report/index.js';
import { assertGolden, sampleReport } from './sample.js';

const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schemaFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/schemas/sarif-schema-2.1.0.json',
);

// The official OASIS schema (draft-04); compiled once for all tests.
const ajv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

function assertValid(doc: unknown): void {
  assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
}

interface SarifLog {
  runs: {
    tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: Record<string, number> };
      }[];
      suppressions?: { kind: string; status: string; justification: string }[];
    }[];
  }[];
}

describe('SARIF 2.1.0', () => {
  const report = sampleReport();
  const text = renderSarif(report);
  const log = JSON.parse(text) as SarifLog;

  it('validates against the official SARIF 2.1.0 schema', () => {
    assertValid(log);
  });

  it('the schema catches a broken log', () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(broken), false);
  });

  it('has one rule per vulnerability and results pointing at the package files in the image', () => {
    const run = log.runs[0]!;
    const ruleIds = run.tool.driver.rules.map((r) => r.id);
    assert.deepEqual(ruleIds, [...new Set(ruleIds)].sort());
    assert.equal(run.results.length, report.findings.length + report.suppressed.length);
    const log4j = run.results.find((r) => r.ruleId === 'CVE-2021-44228')!;
    assert.equal(log4j.level, 'error');
    assert.equal(log4j.locations[0]!.physicalLocation.artifactLocation.uri, 'app/lib/log4j-core-2.14.1.jar');
    assert.equal(run.tool.driver.rules[log4j.ruleIndex]!.id, 'CVE-2021-44228');
    assert.equal(run.tool.driver.rules[log4j.ruleIndex]!.properties['security-severity'], '10.0');
    const ssl = run.results.find((r) => r.ruleId === 'DLA-3325-1')!;
    assert.equal(ssl.locations[0]!.physicalLocation.artifactLocation.uri, 'var/lib/dpkg/status');
    assert.equal(ssl.level, 'note');
  });

  it('keeps ignored findings as suppressed results with the reason', () => {
    const suppressed = log.runs[0]!.results.filter((r) => r.suppressions);
    assert.deepEqual(
      suppressed.map((r) => [r.ruleId, r.suppressions]),
      [
        [
          'CVE-2025-47906',
          [{ kind: 'external', status: 'accepted', justification: 'os/exec LookPath is not reachable' }],
        ],
      ],
    );
    assert.equal(log.runs[0]!.results.filter((r) => !r.suppressions).length, report.findings.length);
  });

  it('is deterministic (golden file)', () => {
    assert.equal(renderSarif(sampleReport()), text);
    assertGolden('report.sarif.json', text);
  });
});

describe('toSarif (generic builder)', () => {
  it('builds a valid log for line/column findings such as configuration checks', () => {
    const doc = toSarif({
      toolName: 'bulwark',
      toolVersion: '0.1.0',
      uriBaseId: 'SRCROOT',
      rules: [
        {
          id: 'dockerfile/no-root-user',
          name: 'NoRootUser',
          shortDescription: 'The image runs as root',
          helpUri: 'https://docs.docker.com/reference/dockerfile/#user',
          severity: 'HIGH',
          help: 'Add a USER instruction with a non-root user.',
          tags: ['dockerfile'],
        },
        { id: 'dockerfile/apt-pin', shortDescription: 'Pin versions in apt-get install', severity: 'LOW' },
      ],
      results: [
        {
          ruleId: 'dockerfile/no-root-user',
          message: 'last USER is root',
          file: 'deploy/Dockerfile',
          line: 12,
          column: 1,
        },
        {
          ruleId: 'dockerfile/apt-pin',
          message: 'curl is not pinned',
          file: 'dir with space/Dockerfile',
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 30,
          fingerprint: 'abc',
        },
        {
          ruleId: 'dockerfile/no-root-user',
          level: 'warning',
          message: 'whole file',
          file: '/abs/Dockerfile',
        },
      ],
    }) as unknown as SarifLog;
    assertValid(doc);
    const [a, b, c] = doc.runs[0]!.results;
    // rules are sorted by id, and ruleIndex follows
    assert.deepEqual(
      doc.runs[0]!.tool.driver.rules.map((r) => r.id),
      ['dockerfile/apt-pin', 'dockerfile/no-root-user'],
    );
    assert.equal(a!.ruleIndex, 1);
    assert.equal(a!.level, 'error');
    assert.deepEqual(a!.locations[0]!.physicalLocation.region, { startLine: 12, startColumn: 1 });
    assert.equal(b!.level, 'note');
    assert.equal(b!.locations[0]!.physicalLocation.artifactLocation.uri, 'dir%20with%20space/Dockerfile');
    assert.equal(c!.level, 'warning');
    assert.equal(c!.locations[0]!.physicalLocation.region, undefined);
    assert.equal(c!.locations[0]!.physicalLocation.artifactLocation.uri, 'abs/Dockerfile');
  });
});
