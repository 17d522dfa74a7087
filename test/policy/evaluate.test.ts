// The one evaluator, rule by rule, on plain subjects and facts: every rule can deny, exceptions
// waive whole violations or single findings, expired exceptions stop applying and are reported,
// missing facts follow missingFacts, audit mode admits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluatePolicy,
  exploitProbability,
  FactsIndex,
  parsePolicy,
  subjectFromImage,
  subjectFromObject,
  type ImageFacts,
  type VulnFact,
} from '../../src/policy/index.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const DIGEST = `sha256:${'a'.repeat(64)}`;

function policy(spec: string): ReturnType<typeof parsePolicy> {
  return parsePolicy(
    `apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n${spec}`,
    'p.yaml',
  );
}

function vuln(id: string, over: Partial<VulnFact> = {}): VulnFact {
  return {
    id,
    aliases: [],
    severity: 'LOW',
    epss: null,
    kev: false,
    fixedVersion: '2.0',
    published: '2026-11-01T00:00:00Z',
    package: { name: 'p', version: '1.0', ecosystem: 'npm' },
    ...over,
  };
}

function pod(image: string, extra: Record<string, unknown> = {}, namespace = 'prod') {
  return subjectFromObject({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace, labels: { team: 'pay' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          ...extra,
        },
      ],
    },
  })!;
}

function lookup(...facts: ImageFacts[]) {
  const index = new FactsIndex();
  for (const f of facts) index.add(f);
  return (image: string) => index.get(image);
}

const scanned = (reference: string, vulnerabilities: VulnFact[]): ImageFacts => ({
  reference,
  vulnerabilities,
  source: 'test',
});

describe('policy evaluation', () => {
  it('allows a hardened, pinned, clean workload and denies each rule it breaks', () => {
    const p = policy(`  podSecurity: {level: restricted}
  images: {allowedRegistries: [ghcr.io/acme/**], requireDigest: true}
  resources: {limits: [memory]}
  vulnerabilities: {maxSeverity: MEDIUM}
`);
    const good = pod(`ghcr.io/acme/api@${DIGEST}`, { resources: { limits: { memory: '1Gi' } } });
    const d = evaluatePolicy(p, good, lookup(scanned(`ghcr.io/acme/api@${DIGEST}`, [])), { now: NOW });
    assert.deepEqual(d.violations, []);
    assert.equal(d.allowed, true);

    const bad = subjectFromObject({
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'docker.io/evil/miner:latest' }] } } },
    })!;
    const v = evaluatePolicy(
      p,
      bad,
      lookup(scanned('docker.io/evil/miner:latest', [vuln('CVE-1', { severity: 'HIGH' })])),
      {
        now: NOW,
      },
    );
    assert.equal(v.allowed, false);
    assert.equal(v.admit, false);
    const rules = new Set(v.violations.map((x) => x.rule));
    for (const r of [
      'policy/pod-security',
      'policy/allowed-registries',
      'policy/mutable-tag',
      'policy/resource-limits',
      'policy/max-severity',
    ])
      assert.ok(rules.has(r as never), `${r} in ${[...rules].join(',')}`);
    const res = v.violations.find((x) => x.rule === 'policy/resource-limits')!;
    assert.equal(res.field, 'spec.template.spec.containers[0].resources.limits');
    const pss = v.violations.filter((x) => x.rule === 'policy/pod-security').map((x) => x.control);
    assert.ok(pss.includes('runAsNonRoot'), pss.join(','));
  });

  it('disallowTags: an untagged image is latest; a digest pins whatever the tag', () => {
    const p = policy('  images: {disallowTags: [latest]}\n');
    const tags = (image: string) =>
      evaluatePolicy(p, subjectFromImage(image), () => undefined, { now: NOW }).violations.map((v) => v.rule);
    assert.deepEqual(tags('nginx'), ['policy/mutable-tag']);
    assert.deepEqual(tags('nginx:latest'), ['policy/mutable-tag']);
    assert.deepEqual(tags('nginx:1.27'), []);
    assert.deepEqual(tags(`nginx:latest@${DIGEST}`), []);
  });

  it('registry patterns: * stays in one segment, ** crosses, a bare host is the whole registry', () => {
    const allowed = (pattern: string, image: string) =>
      evaluatePolicy(
        policy(`  images: {allowedRegistries: ["${pattern}"]}\n`),
        subjectFromImage(image),
        () => undefined,
        {
          now: NOW,
        },
      ).violations.length === 0;
    assert.equal(allowed('docker.io/library/*', 'nginx:1'), true);
    assert.equal(allowed('docker.io/library/*', 'docker.io/bitnami/nginx:1'), false);
    assert.equal(allowed('ghcr.io/acme/*', 'ghcr.io/acme/team/api:1'), false);
    assert.equal(allowed('ghcr.io/acme/**', 'ghcr.io/acme/team/api:1'), true);
    assert.equal(allowed('ghcr.io', 'ghcr.io/anyone/x:1'), true);
    assert.equal(allowed('ghcr.io', 'ghcr.io.evil.com/x:1'), false);
    assert.equal(allowed('127.0.0.1:5000', '127.0.0.1:5000/a/b:1'), true);
  });

  it('maxSeverity: strictly above the maximum; UNKNOWN never exceeds', () => {
    const p = policy('  vulnerabilities: {maxSeverity: MEDIUM}\n');
    const img = 'ghcr.io/acme/a:1';
    const facts = scanned(img, [
      vuln('CVE-M', { severity: 'MEDIUM' }),
      vuln('CVE-U', { severity: 'UNKNOWN' }),
      vuln('CVE-H', { severity: 'HIGH' }),
      vuln('CVE-C', { severity: 'CRITICAL' }),
    ]);
    const d = evaluatePolicy(p, subjectFromImage(img), lookup(facts), { now: NOW });
    assert.deepEqual(
      d.violations.map((v) => v.findings),
      [['CVE-H', 'CVE-C']],
    );
  });

  it('maxRisk is 1 − Π(1 − p) with KEV as 1, naming the largest contributors', () => {
    assert.equal(exploitProbability([]), 0);
    assert.ok(
      Math.abs(
        exploitProbability([
          { epss: 0.5, kev: false },
          { epss: 0.5, kev: false },
        ]) - 0.75,
      ) < 1e-12,
    );
    assert.equal(exploitProbability([{ epss: 0.01, kev: true }]), 1);
    const p = policy('  vulnerabilities: {maxRisk: 0.5}\n');
    const img = 'ghcr.io/acme/a:1';
    const low = evaluatePolicy(
      p,
      subjectFromImage(img),
      lookup(scanned(img, [vuln('A', { epss: 0.3 }), vuln('B', { epss: 0.2 })])),
      {
        now: NOW,
      },
    );
    assert.deepEqual(low.violations, []); // 1 − 0.7 × 0.8 = 0.44
    const high = evaluatePolicy(
      p,
      subjectFromImage(img),
      lookup(scanned(img, [vuln('A', { epss: 0.3 }), vuln('B', { epss: 0.2 }), vuln('C', { epss: 0.2 })])),
      { now: NOW },
    );
    assert.equal(high.violations[0]?.rule, 'policy/max-risk');
    assert.match(high.violations[0]!.message, /0\.552 above 0\.5; most from A \(EPSS 0\.300\)/);
  });

  it('noKev and maxFixAgeDays (first seen wins over published; unfixed findings have no fix age)', () => {
    const p = policy('  vulnerabilities: {noKev: true, maxFixAgeDays: 30}\n');
    const img = 'ghcr.io/acme/a:1';
    const d = evaluatePolicy(
      p,
      subjectFromImage(img),
      lookup(
        scanned(img, [
          vuln('KEV-1', { kev: true, published: '2026-11-30T00:00:00Z' }),
          vuln('OLD', { published: '2026-01-01T00:00:00Z' }),
          vuln('OLD-BUT-NEW-HERE', { published: '2020-01-01T00:00:00Z', firstSeen: '2026-11-20T00:00:00Z' }),
          vuln('OLD-UNFIXED', { published: '2020-01-01T00:00:00Z', fixedVersion: null }),
        ]),
      ),
      { now: NOW },
    );
    assert.deepEqual(
      d.violations.map((v) => [v.rule, v.findings]),
      [
        ['policy/kev', ['KEV-1']],
        ['policy/fix-age', ['OLD']],
      ],
    );
  });

  it('ignoreUnfixed drops findings without a fix from every vulnerability rule', () => {
    const p = policy('  vulnerabilities: {maxSeverity: LOW, ignoreUnfixed: true}\n');
    const img = 'ghcr.io/acme/a:1';
    const d = evaluatePolicy(
      p,
      subjectFromImage(img),
      lookup(
        scanned(img, [
          vuln('NOFIX', { severity: 'CRITICAL', fixedVersion: null }),
          vuln('FIX', { severity: 'HIGH' }),
        ]),
      ),
      { now: NOW },
    );
    assert.deepEqual(
      d.violations.map((v) => v.findings),
      [['FIX']],
    );
  });

  it('exceptions: by id (the rest still deny), by namespace, label and image; expired ones stop and are reported', () => {
    const img = 'ghcr.io/acme/a:1';
    const facts = lookup(
      scanned(img, [
        vuln('CVE-A', { severity: 'HIGH', aliases: ['GHSA-a'] }),
        vuln('CVE-B', { severity: 'HIGH' }),
      ]),
    );
    const base = '  vulnerabilities: {maxSeverity: MEDIUM}\n  exceptions:\n';
    const byId = policy(
      `${base}    - {rules: [policy/max-severity], ids: [GHSA-a], reason: r, expires: 2027-01-01}\n`,
    );
    const d1 = evaluatePolicy(byId, pod(img), facts, { now: NOW });
    assert.deepEqual(
      d1.violations.map((v) => v.findings),
      [['CVE-B']],
    );
    assert.deepEqual(
      d1.excepted.map((v) => v.findings),
      [['CVE-A']],
    );

    const whole = policy(
      `${base}    - {name: pay, rules: ['*'], labels: {team: pay}, reason: r, expires: 2026-12-01}\n`,
    );
    const d2 = evaluatePolicy(whole, pod(img), facts, { now: NOW });
    assert.equal(d2.allowed, true, 'an exception applies through its expiry day');
    assert.equal(d2.excepted[0]?.exception.name, 'pay');

    const expired = evaluatePolicy(whole, pod(img), facts, { now: new Date('2026-12-02T00:00:00Z') });
    assert.equal(expired.allowed, false);
    assert.deepEqual(expired.expiredExceptions, [{ name: 'pay', reason: 'r', expires: '2026-12-01' }]);
    assert.match(
      expired.warnings.join('\n'),
      /exception "pay" \(\*\) expired on 2026-12-01; it no longer applies/,
    );

    const otherNs = policy(
      `${base}    - {rules: ['*'], namespaces: [legacy-*], reason: r, expires: 2027-01-01}\n`,
    );
    assert.equal(evaluatePolicy(otherNs, pod(img), facts, { now: NOW }).allowed, false);
    assert.equal(evaluatePolicy(otherNs, pod(img, {}, 'legacy-shop'), facts, { now: NOW }).allowed, true);

    const otherImage = policy(
      `${base}    - {rules: ['*'], images: [ghcr.io/other/**], reason: r, expires: 2027-01-01}\n`,
    );
    assert.equal(evaluatePolicy(otherImage, pod(img), facts, { now: NOW }).allowed, false);
  });

  it('missing facts: warn (default) allows with a warning, deny denies, allow is silent', () => {
    const img = 'ghcr.io/acme/a:1';
    const spec = (m: string) =>
      policy(`  vulnerabilities: {noKev: true}\n  signatures: {keys: [k.pub]}\n  missingFacts: ${m}\n`);
    const warn = evaluatePolicy(spec('warn'), subjectFromImage(img), () => undefined, { now: NOW });
    assert.equal(warn.allowed, true);
    assert.match(
      warn.warnings[0]!,
      /no signature check and no vulnerability scan known for image "ghcr.io\/acme\/a:1"/,
    );
    const deny = evaluatePolicy(spec('deny'), subjectFromImage(img), () => undefined, { now: NOW });
    assert.deepEqual(
      deny.violations.map((v) => v.rule),
      ['policy/missing-facts'],
    );
    const allow = evaluatePolicy(spec('allow'), subjectFromImage(img), () => undefined, { now: NOW });
    assert.deepEqual([allow.violations, allow.warnings], [[], []]);
  });

  it('signatures: a failed verification denies with its reason', () => {
    const img = 'ghcr.io/acme/a:1';
    const p = policy('  signatures: {keys: [k.pub]}\n');
    const facts = lookup({
      reference: img,
      source: 'test',
      signature: { verified: false, reason: 'wrong-key', message: 'verifies only with another key' },
    });
    const d = evaluatePolicy(p, subjectFromImage(img), facts, { now: NOW });
    assert.equal(d.violations[0]?.rule, 'policy/signature-required');
    assert.match(d.violations[0]!.message, /another key/);
    const ok = lookup({ reference: img, source: 'test', signature: { verified: true, message: 'ok' } });
    assert.equal(evaluatePolicy(p, subjectFromImage(img), ok, { now: NOW }).allowed, true);
  });

  it('audit mode reports violations and admits', () => {
    const d = evaluatePolicy(
      policy('  mode: audit\n  images: {requireDigest: true}\n'),
      subjectFromImage('nginx:1'),
      () => undefined,
      {
        now: NOW,
      },
    );
    assert.equal(d.allowed, false);
    assert.equal(d.admit, true);
  });

  it('every workload kind through its pod template; kinds without one are not subjects', () => {
    const cron = subjectFromObject({
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                initContainers: [{ name: 'i', image: 'a:1' }],
                containers: [{ name: 'm', image: 'b:1' }],
              },
            },
          },
        },
      },
    });
    assert.deepEqual(
      cron?.containers.map((c) => [c.name, c.image, c.field]),
      [
        ['i', 'a:1', 'spec.jobTemplate.spec.template.spec.initContainers[0]'],
        ['m', 'b:1', 'spec.jobTemplate.spec.template.spec.containers[0]'],
      ],
    );
    assert.equal(subjectFromObject({ kind: 'Service', metadata: { name: 's' } }), undefined);
  });

  it('facts are found by the reference as written, its canonical form, or its digest', () => {
    const index = new FactsIndex();
    index.add({ reference: 'nginx:1.27', digest: DIGEST, vulnerabilities: [], source: 't' });
    assert.ok(index.get('docker.io/library/nginx:1.27'));
    assert.ok(index.get(`registry.example/other@${DIGEST}`));
    assert.equal(index.get('nginx:1.28'), undefined);
  });
});
