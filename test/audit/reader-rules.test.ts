import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeAuditText } from '../../src/audit/index.js';
import { StreamChecker } from '../../src/checks/index.js';
import { family, parseAuditLog } from '../../src/checks/rules/audit/index.js';

const FIX = path.resolve('test/fixtures/audit');
const read = (p: string) => readFileSync(path.join(FIX, p), 'utf8');

function ruleHits(text: string): string[] {
  const out: string[] = [];
  for (const p of parseAuditLog(text, 'x').inputs)
    for (const r of family.rules)
      if (!r.window)
        for (const rep of r.check(p.input, { file: 'x', settings: {} })) out.push(`${r.meta.id}:${rep.line}`);
  return out;
}

describe('audit reader', () => {
  it('reports malformed lines with their number and goes on', () => {
    const good = read('falco/exec_pod.jsonl').trim();
    const items = decodeAuditText(`${good}\nnot json\n{"kind": 0}\n${good}\n`);
    assert.deepEqual(
      items.map((i) =>
        i.kind === 'error' ? `${i.code}@${i.line}` : `${i.kind}@${i.kind === 'event' ? i.line : 0}`,
      ),
      ['event@1', 'MALFORMED_INPUT@2', 'MALFORMED_INPUT@3', 'event@4'],
    );
  });
  it('skips an over-long line without holding it', () => {
    const items = decodeAuditText(`${'x'.repeat(5000)}\n${read('falco/exec_pod.jsonl')}`, {
      maxLineBytes: 4096,
    });
    assert.equal(items[0]!.kind === 'error' && items[0]!.code, 'LIMIT_EXCEEDED');
    assert.equal(items[1]!.kind, 'event');
  });
  it('reads a pretty-printed EventList item by item', () => {
    const items = decodeAuditText(read('recorded/eventlist.json'));
    assert.deepEqual(
      items.map((i) => i.kind === 'event' && i.item),
      [0, 1, 2],
    );
  });
});

describe('audit rules on recorded events', () => {
  it('Falco fixtures fire the matching rules', () => {
    assert.deepEqual(ruleHits(read('falco/exec_pod.jsonl')), ['audit/pod-exec:1']);
    assert.deepEqual(ruleHits(read('falco/create_nginx_pod_privileged.jsonl')), ['audit/privileged-pod:1']);
    assert.deepEqual(ruleHits(read('falco/create_nginx_pod_unprivileged.jsonl')), []);
    assert.deepEqual(ruleHits(read('falco/create_nginx_service_nodeport.jsonl')), [
      'audit/nodeport-service:1',
    ]);
    assert.deepEqual(ruleHits(read('falco/create_nginx_service_nonodeport.jsonl')), []);
    assert.deepEqual(ruleHits(read('falco/attach_cluster_admin_role.jsonl')), [
      'audit/cluster-admin-binding:1',
    ]);
    assert.deepEqual(ruleHits(read('falco/create_configmap_no_sensitive_values.jsonl')), []);
    assert.equal(ruleHits(read('falco/create_configmap_sensitive_values.jsonl')).length, 6);
    assert.deepEqual(ruleHits(read('falco/create_service_account_token_secret.jsonl')), []);
  });
  it('recorded events: secrets, tokens, kube-system pods, anonymous', () => {
    assert.deepEqual(ruleHits(read('recorded/secrets.jsonl')), [
      'audit/secret-access:1',
      'audit/secret-access:2',
    ]);
    assert.deepEqual(ruleHits(read('recorded/tokens.jsonl')), [
      'audit/sa-token-created:1',
      'audit/sa-token-created:3',
    ]);
    assert.deepEqual(ruleHits(read('recorded/pods.jsonl')), ['audit/kube-system-pod:1']);
    assert.deepEqual(ruleHits(read('recorded/anonymous.jsonl')), [
      'audit/anonymous-allowed:2',
      'audit/anonymous-allowed:4',
    ]);
  });
  it('a burst of denials is one finding at the event reaching the threshold', () => {
    const checker = new StreamChecker(family, { today: '2026-12-01' });
    const found = [];
    for (const p of parseAuditLog(read('recorded/denials.jsonl'), 'd').inputs)
      for (const f of checker.check(p, 'd').findings)
        if (f.ruleId === 'audit/rbac-denial-burst') found.push(f);
    assert.deepEqual(
      found.map((f) => `${f.line}:${f.object}`),
      ['10:user system:serviceaccount:shop:frontend'],
    );
  });
});
