import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { admittedWrite, auditEventSchema, subjectAllowed, type AuditEvent } from '../../src/audit/index.js';

const FIX = path.resolve('test/fixtures/audit');
const event = (p: string, patch: (e: Record<string, unknown>) => void = () => {}): AuditEvent => {
  const raw = JSON.parse(readFileSync(path.join(FIX, p), 'utf8')) as Record<string, unknown>;
  patch(raw);
  return auditEventSchema.parse(raw);
};

describe('admittedWrite', () => {
  const svc = 'falco/create_nginx_service_nodeport.jsonl';
  it('gives the body of an admitted create of the resource named', () => {
    assert.equal((admittedWrite(event(svc), 'services')?.spec as { type?: string }).type, 'NodePort');
    assert.ok(admittedWrite(event(svc), new Set(['pods', 'services'])));
    assert.equal(admittedWrite(event(svc), 'configmaps'), undefined);
  });
  it('is undefined for reads, subresources, forbidden or failed requests and non-object bodies', () => {
    assert.equal(
      admittedWrite(
        event(svc, (e) => (e.verb = 'get')),
        'services',
      ),
      undefined,
    );
    assert.equal(
      admittedWrite(
        event(svc, (e) => ((e.objectRef as Record<string, unknown>).subresource = 'status')),
        'services',
      ),
      undefined,
    );
    assert.equal(
      admittedWrite(
        event(svc, (e) => (e.annotations = { 'authorization.k8s.io/decision': 'forbid' })),
        'services',
      ),
      undefined,
    );
    assert.equal(
      admittedWrite(
        event(svc, (e) => (e.responseStatus = { code: 422 })),
        'services',
      ),
      undefined,
    );
    assert.equal(
      admittedWrite(
        event(svc, (e) => (e.stage = 'RequestReceived')),
        'services',
      ),
      undefined,
    );
    assert.equal(
      admittedWrite(
        event(svc, (e) => {
          e.verb = 'patch';
          e.requestObject = [{ op: 'replace', path: '/spec/type', value: 'NodePort' }];
        }),
        'services',
      ),
      undefined,
    );
  });
});

describe('subjectAllowed', () => {
  const exec = event('falco/exec_pod.jsonl'); // minikube-user in system:masters
  it('matches users, group: entries and * patterns', () => {
    assert.equal(subjectAllowed(exec, []), false);
    assert.equal(subjectAllowed(exec, ['minikube-user']), true);
    assert.equal(subjectAllowed(exec, ['minikube-*']), true);
    assert.equal(subjectAllowed(exec, ['group:system:masters']), true);
    assert.equal(subjectAllowed(exec, ['group:system:*']), true);
    // a group entry never matches the user name, nor a user entry a group
    assert.equal(subjectAllowed(exec, ['group:minikube-user', 'system:masters']), false);
  });
});
