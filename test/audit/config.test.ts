import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { auditConfigSchema, auditRuleSettings, type AuditConfig } from '../../src/audit/index.js';
import { StreamChecker } from '../../src/checks/index.js';
import { family, parseAuditLog } from '../../src/checks/rules/audit/index.js';
import { REPO, runCli } from '../cli/helpers.js';

const FIX = path.join(REPO, 'test/fixtures/audit');
const read = (p: string) => readFileSync(path.join(FIX, p), 'utf8');

/** `line:rule` of every finding of one rule over a fixture, with the configuration's audit section. */
function hits(fixture: string, rule: string, cfg: AuditConfig = {}): string[] {
  return hitsIn(read(fixture), rule, cfg);
}

function hitsIn(text: string, rule: string, cfg: AuditConfig = {}): string[] {
  const checker = new StreamChecker(family, { settings: auditRuleSettings(auditConfigSchema.parse(cfg)) });
  const out: string[] = [];
  for (const p of parseAuditLog(text, 'f').inputs)
    for (const f of checker.check(p, 'f').findings) if (f.ruleId === rule) out.push(`${f.line}`);
  return out;
}

describe('audit configuration: allow-lists and thresholds reach the rules', () => {
  it('allowedSecretReaders: users, groups and service-account patterns, added to the built-in readers', () => {
    const rule = 'audit/secret-access';
    // line 1 alice (person), line 2 monitoring/exporter (service account); 3 and 5 are the control
    // plane and a kubelet, 4 was forbidden
    assert.deepEqual(hits('recorded/secrets.jsonl', rule), ['1', '2']);
    assert.deepEqual(hits('recorded/secrets.jsonl', rule, { allowedSecretReaders: ['alice@example.com'] }), [
      '2',
    ]);
    assert.deepEqual(
      hits('recorded/secrets.jsonl', rule, { allowedSecretReaders: ['system:serviceaccount:monitoring:*'] }),
      ['1'],
    );
    assert.deepEqual(
      hits('recorded/secrets.jsonl', rule, {
        allowedSecretReaders: ['group:system:serviceaccounts:monitoring'],
      }),
      ['1'],
    );
    // a group alice is not in allows nobody; the built-in readers still apply
    assert.deepEqual(hits('recorded/secrets.jsonl', rule, { allowedSecretReaders: ['group:sre'] }), [
      '1',
      '2',
    ]);
  });

  it('allowedExecUsers by user and by group', () => {
    const rule = 'audit/pod-exec';
    assert.deepEqual(hits('falco/exec_pod.jsonl', rule), ['1']);
    assert.deepEqual(hits('falco/exec_pod.jsonl', rule, { allowedExecUsers: ['minikube-user'] }), []);
    assert.deepEqual(hits('falco/exec_pod.jsonl', rule, { allowedExecUsers: ['group:system:masters'] }), []);
    assert.deepEqual(hits('falco/exec_pod.jsonl', rule, { allowedExecUsers: ['someone-else'] }), ['1']);
    assert.deepEqual(hits('falco/attach_pod.jsonl', rule, { allowedExecUsers: ['minikube-*'] }), []);
  });

  it('rbacDenialBurst: count and seconds set the window; allowedUsers are not counted', () => {
    const rule = 'audit/rbac-denial-burst';
    // frontend is denied once a second (lines 1-12), carol every 5 s (lines 13-15)
    assert.deepEqual(hits('recorded/denials.jsonl', rule), ['10']);
    assert.deepEqual(hits('recorded/denials.jsonl', rule, { rbacDenialBurst: { count: 20 } }), []);
    assert.deepEqual(hits('recorded/denials.jsonl', rule, { rbacDenialBurst: { count: 3, seconds: 8 } }), [
      '3',
      '6',
      '9',
      '12',
    ]);
    assert.deepEqual(hits('recorded/denials.jsonl', rule, { rbacDenialBurst: { count: 3, seconds: 60 } }), [
      '3',
      '6',
      '9',
      '12',
      '15',
    ]);
    assert.deepEqual(
      hits('recorded/denials.jsonl', rule, {
        rbacDenialBurst: { count: 3, allowedUsers: ['system:serviceaccount:shop:*'] },
      }),
      ['15'],
    );
  });

  it('kubeSystemPods: watched namespaces, allowed users and images', () => {
    const rule = 'audit/kube-system-pod';
    assert.deepEqual(hits('recorded/pods.jsonl', rule), ['1']);
    assert.deepEqual(
      hits('recorded/pods.jsonl', rule, { kubeSystemPods: { allowedUsers: ['alice@example.com'] } }),
      [],
    );
    assert.deepEqual(
      hits('recorded/pods.jsonl', rule, { kubeSystemPods: { namespaces: ['kube-public'] } }),
      [],
    );
    assert.deepEqual(
      hits('recorded/pods.jsonl', rule, { kubeSystemPods: { allowedImages: ['busybox'] } }),
      [],
    );
    assert.deepEqual(hits('falco/create_pod_kube_public_namespace.jsonl', rule), []);
  });

  it('token creators and image allow-lists', () => {
    assert.deepEqual(hits('recorded/tokens.jsonl', 'audit/sa-token-created'), ['1', '3']);
    assert.deepEqual(
      hits('recorded/tokens.jsonl', 'audit/sa-token-created', {
        allowedTokenCreators: ['alice@example.com'],
      }),
      [],
    );
    const priv = 'falco/create_nginx_pod_privileged.jsonl';
    assert.deepEqual(hits(priv, 'audit/privileged-pod'), ['1']);
    assert.deepEqual(hits(priv, 'audit/privileged-pod', { allowedPrivilegedImages: ['nginx'] }), []);
    const host = 'falco/create_nginx_pod_hostnetwork.jsonl';
    assert.deepEqual(hits(host, 'audit/host-namespace-pod'), ['1']);
    assert.deepEqual(hits(host, 'audit/host-namespace-pod', { allowedHostImages: ['nginx'] }), []);
    // Falco's sensitive-mount pod, its hostPath moved from /etc to a folder only this site knows
    const srv = read('falco/create_nginx_pod_sensitive_mount.jsonl').replaceAll(
      '"path":"/etc"',
      '"path":"/srv/keys"',
    );
    assert.notEqual(srv, read('falco/create_nginx_pod_sensitive_mount.jsonl'));
    assert.deepEqual(hitsIn(srv, 'audit/sensitive-host-mount'), []);
    assert.deepEqual(hitsIn(srv, 'audit/sensitive-host-mount', { sensitiveHostPaths: ['/srv'] }), ['1']);
    const etc = 'falco/create_nginx_pod_sensitive_mount.jsonl';
    assert.deepEqual(hits(etc, 'audit/sensitive-host-mount'), ['1']);
    assert.deepEqual(hits(etc, 'audit/sensitive-host-mount', { allowedHostImages: ['nginx'] }), []);
  });

  it('rejects misspelt keys and bad values', () => {
    assert.equal(auditConfigSchema.safeParse({ allowedSecretReader: ['x'] }).success, false);
    assert.equal(auditConfigSchema.safeParse({ rbacDenialBurst: { count: 0 } }).success, false);
    assert.equal(auditConfigSchema.safeParse({ allowedExecUsers: 'alice' }).success, false);
  });
});

describe('bulwark audit with a configuration file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bw-audit-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the audit section, and a bad one is a CONFIG error naming the file', async () => {
    const cfg = path.join(dir, 'config.yaml');
    writeFileSync(cfg, 'audit:\n  allowedSecretReaders:\n    - alice@example.com\n');
    const log = path.join(FIX, 'recorded/secrets.jsonl');
    const run = await runCli(['audit', log, '--format', 'json'], { BULWARK_CONFIG: cfg });
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { findings: { line: number; message: string }[] };
    assert.deepEqual(
      doc.findings.map((f) => f.line),
      [2],
    );
    writeFileSync(cfg, 'audit:\n  rbacDenialBurst: { count: 3, secs: 8 }\n');
    const bad = await runCli(['audit', log], { BULWARK_CONFIG: cfg });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /error\[CONFIG\] .*config\.yaml: audit\.rbacDenialBurst/);
  });
});
