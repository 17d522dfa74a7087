import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectingProgress } from '../../src/core/progress.js';
import { normalizePackageName, versionScheme } from '../../src/ecosystems/index.js';
import { matchInventory } from '../../src/match/index.js';
import {
  databaseOracle,
  decideBase,
  imageRisk,
  patchPlan,
  planInputOf,
  readPlanInput,
  reportOracle,
  upgradeCommand,
  type PlanFinding,
  type PlanInput,
} from '../../src/plan/index.js';
import { toJsonReport, type JsonReport } from '../../src/report/index.js';
import { ensureDemoDatabase } from '../../src/scan/index.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { openVulnDb, type OpenedVulnDb } from '../../src/vulndb/index.js';
import { scanDemoImage } from '../helpers/demo-scan.js';
import { inventory, memoryDb, pkg } from '../match/helpers.js';

let dir: string;
let report: JsonReport;
let input: PlanInput;
let db: OpenedVulnDb;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-plan-'));
  report = toJsonReport(await scanDemoImage(dir));
  input = planInputOf(report, 'demo.json');
  db = openVulnDb(await ensureDemoDatabase(dir, collectingProgress()), {
    normalizeName: normalizePackageName,
  });
});
after(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the demo findings with EPSS scores set by id (the demo data has none). */
function withEpss(scores: Record<string, number>): PlanFinding[] {
  return input.findings.map((f) => ({ ...f, epss: scores[f.id] ?? null }));
}

describe('imageRisk', () => {
  it('is 1 − Π(1 − pᵢ) with EPSS scores and 1 for KEV entries, counted once per vulnerability and package', () => {
    const noKev = withEpss({ 'CVE-2022-1664': 0.5, 'CVE-2021-23337': 0.2, 'CVE-2022-1292': 0.1 }).map(
      (f) => ({
        ...f,
        kev: false,
      }),
    );
    const r = imageRisk(noKev);
    // CVE-2022-1292 is in libssl1.1 and openssl: two packages, two factors
    const expected = 1 - (1 - 0.5) * (1 - 0.2) * (1 - 0.1) * (1 - 0.1);
    assert.ok(Math.abs(r.probability - expected) < 1e-6, `${r.probability} vs ${expected}`);
    assert.equal(r.findings, input.findings.length);
    // the same finding twice (another location of the same package version) counts once
    const dup = [
      ...noKev,
      {
        ...noKev.find((f) => f.id === 'CVE-2022-1664')!,
        package: { ...noKev.find((f) => f.id === 'CVE-2022-1664')!.package, location: 'elsewhere' },
      },
    ];
    assert.equal(imageRisk(dup).probability, r.probability);
    assert.deepEqual(
      r.contributors.slice(0, 4).map((c) => [c.id, c.package.name]),
      [
        ['CVE-2022-1664', 'dpkg'],
        ['CVE-2021-23337', 'lodash'],
        ['CVE-2022-1292', 'libssl1.1'],
        ['CVE-2022-1292', 'openssl'],
      ],
    );
    const first = r.contributors[0]!;
    assert.ok(Math.abs(first.removes - (expected - (1 - 0.8 * 0.9 * 0.9))) < 1e-6);
    assert.ok(Math.abs(first.riskAfter - (1 - 0.8 * 0.9 * 0.9)) < 1e-6);
    assert.equal(r.contributors[3]!.riskAfter, 0);
  });

  it('names KEV entries first; each removes nothing alone while the other stays, riskAfter shows both', () => {
    const r = imageRisk(withEpss({ 'CVE-2022-1664': 0.5 }), { layers: input.layers });
    assert.equal(r.probability, 1);
    assert.equal(r.kev, 2);
    const [a, b, c] = r.contributors;
    assert.deepEqual([a!.id, b!.id, c!.id], ['CVE-2021-44228', 'CVE-2021-45046', 'CVE-2022-1664']);
    assert.equal(a!.removes, 0);
    assert.equal(a!.riskAfter, 1);
    assert.equal(b!.riskAfter, 0.5);
    assert.equal(a!.cvss, 10);
    assert.equal(a!.fixedVersion, '2.15.0-1~deb11u1');
    assert.equal(a!.layer.index, 2);
  });

  it('leaves out findings the isOpen predicate closes (triage)', () => {
    const closed = new Set(['CVE-2021-44228', 'CVE-2021-45046']);
    const r = imageRisk(withEpss({ 'CVE-2022-1664': 0.5 }), { isOpen: (f) => !closed.has(f.id) });
    assert.equal(r.probability, 0.5);
    assert.equal(r.excluded, 2);
    assert.equal(r.contributors[0]!.id, 'CVE-2022-1664');
  });

  it('attributes findings to base or own layers once the base is decided', () => {
    const base = decideBase({ diffIds: input.layers.map((l) => l.diffId), repository: 'app' }, [
      { name: 'debian:11', repository: 'debian', digest: 'sha256:b', diffIds: [input.layers[0]!.diffId] },
    ]);
    assert.equal(base.method, 'shared-prefix');
    assert.equal(base.baseLayers, 1);
    assert.equal(base.baseName, 'debian:11');
    const r = imageRisk(withEpss({ 'CVE-2022-1664': 0.5, 'CVE-2021-23337': 0.2 }), {
      layers: input.layers,
      base,
      top: 100,
    });
    const dpkg = r.contributors.find((c) => c.id === 'CVE-2022-1664')!;
    const lodash = r.contributors.find((c) => c.id === 'CVE-2021-23337')!;
    assert.equal(dpkg.layer.origin, 'base');
    assert.equal(lodash.layer.origin, 'own');
    assert.equal(r.byOrigin.base.probability, 0.5);
    assert.equal(r.byOrigin.own.probability, 1);
    assert.equal(r.byOrigin.unknown.findings, 0);
    // no evidence: unknown, never guessed
    assert.equal(
      imageRisk(input.findings, { layers: input.layers }).contributors[0]!.layer.origin,
      'unknown',
    );
  });
});

describe('decideBase', () => {
  const img = ['a', 'b', 'c', 'd'];
  it('prefers the annotation, then the longest prefix shared with another repository', () => {
    const cands = [
      { name: 'debian:11', repository: 'debian', digest: 'sha256:d11', diffIds: ['a'] },
      { name: 'team/base:1', repository: 'team/base', digest: 'sha256:tb', diffIds: ['a', 'b'] },
      { name: 'app:old', repository: 'app', digest: 'sha256:old', diffIds: ['a', 'b', 'c'] },
    ];
    assert.deepEqual(decideBase({ diffIds: img, repository: 'app' }, cands), {
      method: 'shared-prefix',
      baseLayers: 2,
      baseName: 'team/base:1',
      baseDigest: 'sha256:tb',
    });
    const ann = decideBase(
      {
        diffIds: img,
        repository: 'app',
        annotations: {
          'org.opencontainers.image.base.name': 'docker.io/library/debian:11',
          'org.opencontainers.image.base.digest': 'sha256:d11',
        },
      },
      cands,
    );
    assert.equal(ann.method, 'annotation');
    assert.equal(ann.baseLayers, 1);
    // an image that is all of another's layers is a copy, not built on it
    assert.equal(decideBase({ diffIds: ['a'], repository: 'x' }, cands).method, 'none');
    assert.equal(decideBase({ diffIds: ['z'], repository: 'x' }, cands).method, 'none');
  });
});

describe('patchPlan on the demo image (real advisories, the demo database)', () => {
  it('picks per package the lowest listed fix that the matcher finds fixes every finding', () => {
    const plan = patchPlan(input, { oracle: databaseOracle(db, input.os) });
    assert.equal(plan.basis, 'database');
    assert.equal(plan.unfixable.length, 0);
    const by = new Map(plan.steps.map((s) => [s.name, s]));
    assert.equal(by.get('openssl')!.target, '1.1.1n-0+deb11u4');
    assert.equal(by.get('expat')!.target, '2.2.10-2+deb11u5');
    assert.equal(
      by.get('curl')!.command,
      'apt-get install curl=7.74.0-1.3+deb11u7 libcurl4=7.74.0-1.3+deb11u7',
    );
    assert.equal(by.get('lodash')!.command, 'npm install lodash@4.17.21');
    // checked independently: the matcher at the target reports none of the package's findings,
    // at every lower candidate at least one
    const scheme = versionScheme('Debian')!;
    for (const s of plan.steps.filter((x) => x.fixes.length > 1)) {
      const f0 = input.findings.find((f) => f.matched.name === s.name)!;
      const at = (v: string) => {
        const p = f0.package;
        const inv = inventory(
          [
            pkg({
              name: p.name,
              ecosystem: p.ecosystem,
              type: p.type as 'os' | 'lang',
              version: p.sourceVersion ? p.version : v,
              ...(p.sourceName ? { sourceName: p.sourceName } : {}),
              ...(p.sourceVersion ? { sourceVersion: v } : {}),
            }),
          ],
          input.os ? ({ ...input.os, codename: input.os.codename ?? undefined } as never) : undefined,
        );
        return new Set(matchInventory(inv, db).findings.map((f) => f.id));
      };
      const left = at(s.target);
      assert.ok(
        s.fixes.every((id) => !left.has(id)),
        `${s.name} ${s.target} fixes ${s.fixes}`,
      );
      const lower = s.candidates.filter(
        (c) => (f0.package.ecosystem === 'npm' ? true : scheme.compare(c, s.target) < 0) && c !== s.target,
      );
      assert.ok(lower.length > 0, `${s.name} has lower candidates`);
      for (const c of lower.slice(0, s.candidates.indexOf(s.target)))
        assert.ok(
          s.fixes.some((id) => at(c).has(id)),
          `${s.name} ${c} still leaves a finding`,
        );
    }
    // the report alone gives the same targets for these single-range advisories
    const fromReport = patchPlan(input);
    assert.equal(fromReport.basis, 'report');
    assert.deepEqual(
      fromReport.steps.map((s) => [s.name, s.target]),
      plan.steps.map((s) => [s.name, s.target]),
    );
  });

  it('ranks by exploit probability removed, then by the risk scores fixed', () => {
    const plan = patchPlan({
      ...input,
      findings: withEpss({ 'CVE-2021-23337': 0.3, 'CVE-2022-1664': 0.05 }),
    });
    assert.equal(plan.steps[0]!.name, 'apache-log4j2');
    assert.equal(plan.steps[0]!.riskRemoved, 0.665);
    assert.equal(plan.steps[0]!.riskAfter, 0.335);
    assert.equal(plan.steps[1]!.name, 'lodash');
    assert.equal(plan.steps[1]!.riskAfter, 0.05);
    assert.equal(plan.steps[2]!.name, 'dpkg');
    assert.equal(plan.steps[2]!.riskAfter, 0);
    // no exploit evidence left: the 0..100 scores order the rest (openssl fixes four findings)
    assert.equal(plan.steps[3]!.name, 'openssl');
    assert.equal(plan.probabilityAfter, 0);
  });
});

describe('patchPlan: a fix inside another advisory’s range is not minimal', () => {
  // two advisories of one npm package in OSV's format: A is fixed in 1.2.5 on the 1.x line and in
  // 2.0.3 on the 2.x line (2.0.0 reintroduced it), B in 2.0.1. From 1.2.0 the highest first fix
  // (2.0.1) is inside A's second range: the minimal version fixing both is 2.0.3.
  const records: OsvRecord[] = [
    {
      id: 'GHSA-aaaa-aaaa-aaaa',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'twoline' },
          ranges: [
            {
              type: 'SEMVER',
              events: [{ introduced: '0' }, { fixed: '1.2.5' }, { introduced: '2.0.0' }, { fixed: '2.0.3' }],
            },
          ],
        },
      ],
    },
    {
      id: 'GHSA-bbbb-bbbb-bbbb',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'twoline' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.1' }] }],
        },
      ],
    },
  ] as OsvRecord[];
  const mem = memoryDb(records);
  const found = matchInventory(
    inventory([pkg({ name: 'twoline', version: '1.2.0', ecosystem: 'npm' })]),
    mem,
  );
  const findings: PlanFinding[] = found.findings.map((f) => ({
    id: f.id,
    aliases: [...f.aliases],
    severity: f.severity,
    cvss: null,
    epss: null,
    kev: false,
    risk: f.risk,
    fixedVersions: [...f.fixedVersions],
    package: {
      name: 'twoline',
      version: '1.2.0',
      ecosystem: 'npm',
      type: 'lang',
      purl: f.package.purl,
      location: 'app/manifest',
      sourceName: null,
      sourceVersion: null,
    },
    matched: f.matched,
    layerDiffId: null,
  }));

  it('with the database and with the report alone', () => {
    assert.deepEqual(
      findings.map((f) => [f.id, f.fixedVersions]),
      [
        ['GHSA-aaaa-aaaa-aaaa', ['1.2.5', '2.0.3']],
        ['GHSA-bbbb-bbbb-bbbb', ['2.0.1']],
      ],
    );
    for (const oracle of [databaseOracle(mem, null), reportOracle()]) {
      const plan = patchPlan({ findings, layers: [] }, { oracle });
      assert.equal(plan.steps[0]!.target, '2.0.3', oracle.basis);
      assert.deepEqual(plan.steps[0]!.candidates, ['1.2.5', '2.0.1', '2.0.3']);
      assert.equal(plan.steps[0]!.command, 'npm install twoline@2.0.3');
    }
  });

  it('lists packages with no fix apart, and keeps unfixed findings as remaining', () => {
    const unfixed = findings.map((f) => ({ ...f, fixedVersions: [] }));
    const plan = patchPlan({ findings: unfixed, layers: [] });
    assert.equal(plan.steps.length, 0);
    assert.deepEqual(
      plan.unfixable.map((u) => [u.name, u.reason, u.findings.length]),
      [['twoline', 'no fix listed', 2]],
    );
    const mixed = [findings[0]!, { ...findings[1]!, fixedVersions: [] }];
    const p2 = patchPlan({ findings: mixed, layers: [] });
    assert.equal(p2.steps[0]!.target, '1.2.5');
    assert.deepEqual(p2.steps[0]!.remaining, ['GHSA-bbbb-bbbb-bbbb']);
  });
});

describe('upgradeCommand', () => {
  const t = (name: string, version: string) => [{ name, version }];
  for (const [eco, name, version, cmd] of [
    ['Debian:12', 'libssl3', '3.0.15-1~deb12u1', 'apt-get install libssl3=3.0.15-1~deb12u1'],
    ['Ubuntu:22.04', 'curl', '7.81.0-1ubuntu1.16', 'apt-get install curl=7.81.0-1ubuntu1.16'],
    ['Alpine:v3.19', 'busybox', '1.36.1-r16', 'apk add busybox=1.36.1-r16'],
    ['Red Hat', 'openssl-libs', '1:3.0.7-27.el9', 'dnf install openssl-libs-1:3.0.7-27.el9'],
    ['npm', '@babel/traverse', '7.23.2', 'npm install @babel/traverse@7.23.2'],
    ['PyPI', 'requests', '2.32.0', 'pip install requests==2.32.0'],
    ['RubyGems', 'rack', '3.0.9.1', 'gem install rack -v 3.0.9.1'],
    ['Go', 'golang.org/x/net', '0.23.0', 'go get golang.org/x/net@v0.23.0'],
    ['crates.io', 'h2', '0.3.26', 'cargo update -p h2 --precise 0.3.26'],
    ['Packagist', 'guzzlehttp/psr7', '2.4.5', 'composer require guzzlehttp/psr7:2.4.5'],
    ['NuGet', 'System.Text.Json', '8.0.4', 'dotnet add package System.Text.Json --version 8.0.4'],
    ['Maven', 'org.apache.logging.log4j:log4j-core', '2.17.1', 'org.apache.logging.log4j:log4j-core:2.17.1'],
  ] as const)
    it(`${eco}: ${cmd}`, () => assert.equal(upgradeCommand(eco, t(name, version)), cmd));

  it('quotes what a shell would read otherwise', () => {
    assert.equal(upgradeCommand('npm', t('x;rm -rf ~', '1.0.0')), "npm install 'x;rm -rf ~@1.0.0'");
    assert.equal(upgradeCommand('SomethingElse', t('x', '1')), null);
  });
});

describe('readPlanInput (hostile reports)', () => {
  it('refuses what is no scan report with a typed error naming the input', () => {
    const code = (body: string, limits = {}) => {
      try {
        readPlanInput(body, 'r.json', limits);
        return 'ok';
      } catch (e) {
        assert.equal((e as { input?: string }).input, 'r.json');
        return (e as { code: string }).code;
      }
    };
    assert.equal(code('{'), 'MALFORMED_INPUT');
    assert.equal(code('[]'), 'MALFORMED_INPUT');
    assert.equal(code('{"kind":"checks"}'), 'UNSUPPORTED');
    assert.equal(code('{"kind":"scan","target":{"kind":"image"},"findings":[]}'), 'MALFORMED_INPUT');
    assert.equal(code(JSON.stringify(report), { maxBytes: 1000 }), 'LIMIT_EXCEEDED');
    assert.equal(code(JSON.stringify(report), { maxFindings: 3 }), 'LIMIT_EXCEEDED');
    assert.equal(code(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), 'MALFORMED_INPUT');
  });

  it('skips a broken finding with a warning and keeps the others', () => {
    const bad = structuredClone(report) as unknown as { findings: unknown[] };
    bad.findings[3] = { id: 42 };
    (bad.findings[4] as { package: { version: string } }).package.version = 'x'.repeat(10_000);
    const r = readPlanInput(JSON.stringify(bad), 'r.json');
    assert.equal(r.findings.length, report.findings.length - 2);
    assert.deepEqual(
      r.warnings.map((w) => w.input),
      ['r.json#findings[3]', 'r.json#findings[4]'],
    );
  });
});
