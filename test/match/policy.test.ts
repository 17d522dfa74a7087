import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  applyPolicy,
  loadIgnoreFile,
  matchInventory,
  parseIgnoreFile,
  parseSeverityList,
} from '../../src/match/index.js';
import { inventory, loadFixtureRecords, memoryDb, pkg } from './helpers.js';

const db = memoryDb(loadFixtureRecords().values());
// lodash (HIGH, fixed), log4j (CRITICAL, fixed), stdlib x2 (UNKNOWN, fixed), jquery 3.0.0-beta (HIGH)
const findings = matchInventory(
  inventory([
    pkg({ name: 'lodash', version: '4.17.20', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.20' }),
    pkg({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'Maven' }),
    pkg({ name: 'stdlib', version: '1.23.11', ecosystem: 'Go' }),
    pkg({ name: 'flask', version: '0.1', ecosystem: 'PyPI' }),
  ]),
  db,
).findings;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-policy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof BulwarkError ? e.code : 'NOT_BULWARK';
  }
  return undefined;
}

describe('ignore file', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('suppresses by id or alias, optionally per package, and keeps the reason', () => {
    const entries = parseIgnoreFile(
      [
        '- id: GHSA-35jh-r3h4-6jhm # an alias of CVE-2021-23337',
        '  reason: lodash template() is never called with user input',
        '- id: CVE-2021-44228',
        '  package: not-log4j',
        '  reason: scoped to another package, must not apply',
        '- id: GO-2025-3956',
        '  package: pkg:generic/stdlib@1.23.11',
        '  reason: LookPath is not used',
        '  expires: 2026-11-22',
      ].join('\n'),
      '.bulwarkignore.yaml',
    );
    const r = applyPolicy(findings, { ignore: entries, now });
    assert.deepEqual(
      r.suppressed.map((s) => [s.finding.id, s.rule, s.reason]),
      [
        ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm', 'lodash template() is never called with user input'],
        ['CVE-2025-47906', 'GO-2025-3956', 'LookPath is not used'],
      ],
    );
    assert.deepEqual(
      r.findings.map((f) => f.id),
      ['CVE-2021-44228', 'CVE-2025-47907'],
    );
    assert.deepEqual(r.warnings, []);
  });

  it('narrows an entry to the files under `path`, and shares the file with configuration entries', () => {
    const lodash = findings.find((f) => f.package.name === 'lodash')!;
    const loc = lodash.package.location;
    const entries = parseIgnoreFile(
      [
        `- id: ${lodash.id}`,
        `  path: elsewhere/${loc}`,
        '  reason: another app',
        '- id: dockerfile/root-user',
        '  path: legacy/Dockerfile',
        '  reason: a configuration entry in the same file',
      ].join('\n'),
      'f',
    );
    assert.equal(
      applyPolicy(findings, { ignore: entries }).suppressed.length,
      0,
      'another path does not match',
    );
    const here = parseIgnoreFile(`- id: ${lodash.id}\n  path: ${loc}\n  reason: this app only\n`, 'f');
    assert.deepEqual(
      applyPolicy(findings, { ignore: here }).suppressed.map((x) => x.finding.package.name),
      ['lodash'],
    );
  });

  it('drops expired entries with a warning', () => {
    const entries = parseIgnoreFile(
      'ignore:\n  - id: CVE-2021-44228\n    reason: waiting for vendor\n    expires: "2026-11-21"\n',
      'x.yaml',
    );
    const r = applyPolicy(findings, { ignore: entries, now });
    assert.equal(r.suppressed.length, 0);
    assert.ok(r.findings.some((f) => f.id === 'CVE-2021-44228'));
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.input]),
      [['IGNORE_EXPIRED', 'CVE-2021-44228']],
    );
  });

  it('rejects invalid files with CONFIG naming the file', () => {
    const bad = [
      '- id: CVE-1\n', // no reason
      '- id: CVE-1\n  reason: ""\n',
      '- id: CVE-1\n  reason: x\n  expires: 2026-13-01\n',
      '- id: CVE-1\n  reason: x\n  expires: tomorrow\n',
      '- id: CVE-1\n  reason: x\n  surprise: 1\n',
      'just a string',
      '- [unclosed',
    ];
    for (const text of bad) {
      let err: unknown;
      try {
        parseIgnoreFile(text, 'policy/.bulwarkignore.yaml');
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof BulwarkError, text);
      assert.equal(err.code, 'CONFIG', text);
      assert.equal(err.input, 'policy/.bulwarkignore.yaml');
    }
    assert.deepEqual(parseIgnoreFile('', 'empty.yaml'), []);
  });

  it('loads from disk; a missing file is INPUT_NOT_FOUND', async () => {
    const file = path.join(tmp, '.bulwarkignore.yaml');
    writeFileSync(file, '- id: CVE-2021-44228\n  reason: test\n');
    assert.deepEqual(await loadIgnoreFile(file), [{ id: 'CVE-2021-44228', reason: 'test' }]);
    await assert.rejects(loadIgnoreFile(path.join(tmp, 'nope.yaml')), (e: unknown) => {
      return e instanceof BulwarkError && e.code === 'INPUT_NOT_FOUND';
    });
  });
});

describe('filters', () => {
  it('keeps only the listed severities and counts the rest', () => {
    const r = applyPolicy(findings, { severities: parseSeverityList('critical, HIGH') });
    assert.deepEqual(
      r.findings.map((f) => f.severity),
      ['CRITICAL', 'HIGH'],
    );
    assert.deepEqual(r.filtered, { severity: 2, unfixed: 0 });
  });

  it('drops unfixed findings with --ignore-unfixed', () => {
    const withUnfixed = [
      ...findings,
      { ...findings[0]!, id: 'X-UNFIXED', fixedVersion: undefined, fixedVersions: [] },
    ];
    const r = applyPolicy(withUnfixed, { ignoreUnfixed: true });
    assert.equal(r.findings.length, findings.length);
    assert.deepEqual(r.filtered, { severity: 0, unfixed: 1 });
  });

  it('rejects unknown severity names as USAGE', () => {
    assert.equal(
      codeOf(() => parseSeverityList('high,urgent')),
      'USAGE',
    );
    assert.deepEqual(parseSeverityList('low,LOW,,unknown'), ['LOW', 'UNKNOWN']);
  });
});

describe('VEX in the policy stage', () => {
  const lodash = findings.find((f) => f.package.name === 'lodash')!;
  const stmt = (over: Record<string, unknown>) => ({
    source: 'v.json',
    statement: { vulnId: lodash.id, aliases: [], products: [], status: 'not_affected' as const, ...over },
  });
  it('comes after the ignore file and before the severity filter', () => {
    const vex = [stmt({ status: 'not_affected', justification: 'component_not_present' })];
    const viaVex = applyPolicy(findings, { vex, severities: ['CRITICAL'] });
    const s = viaVex.suppressed.find((x) => x.finding.package.name === 'lodash')!;
    assert.deepEqual(
      [s.via, s.rule, s.reason],
      ['vex', 'vex:v.json', 'VEX not_affected (component_not_present)'],
    );
    // a VEX-suppressed finding is not also counted by the severity filter
    assert.equal(
      viaVex.filtered.severity,
      applyPolicy(findings, { severities: ['CRITICAL'] }).filtered.severity - 1,
    );
    const ignored = applyPolicy(findings, {
      vex,
      ignore: [{ id: lodash.id, reason: 'ignore file says so' }],
    });
    const i = ignored.suppressed.find((x) => x.finding.package.name === 'lodash')!;
    assert.deepEqual([i.via, i.reason], [undefined, 'ignore file says so']);
  });
  it('annotates affected, is narrowed by products, and lets the package-level statement win', () => {
    const both = [
      stmt({ status: 'affected', actionStatement: 'upgrade' }),
      stmt({ status: 'fixed', products: [{ purl: 'pkg:npm/lodash@4.17.20', packages: [] }] }),
    ];
    const r = applyPolicy(findings, { vex: both });
    assert.ok(r.suppressed.some((x) => x.finding.package.name === 'lodash' && x.reason === 'VEX fixed'));
    const a = applyPolicy(findings, { vex: [both[0]!] });
    assert.deepEqual(a.findings.find((f) => f.package.name === 'lodash')!.vex, {
      status: 'affected',
      statement: 'upgrade',
      source: 'v.json',
    });
    const other = applyPolicy(findings, {
      vex: [
        stmt({
          products: [{ purl: 'pkg:npm/lodash@4.17.21', packages: [] }],
          justification: 'component_not_present',
        }),
      ],
    });
    assert.equal(other.suppressed.length, 0, 'another version: does not apply');
    const image = stmt({
      justification: 'component_not_present',
      products: [{ purl: 'pkg:oci/app?repository_url=ghcr.io/acme/app', packages: ['pkg:npm/lodash'] }],
    });
    assert.equal(
      applyPolicy(findings, { vex: [image] }).suppressed.length,
      0,
      'no image target: does not apply',
    );
    const hit = applyPolicy(findings, {
      vex: [image],
      vexTarget: { digests: [], repositories: ['ghcr.io/acme/app'] },
    });
    assert.equal(hit.suppressed.length, 1);
  });
});
