import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkText } from '../../src/checks/index.js';
import { family } from '../../src/checks/rules/netpol/index.js';
import type { RuleFamily } from '../../src/checks/types.js';

/** Findings of one rule on one manifest, as `line:message`. */
function run(ruleId: string, yaml: string): string[] {
  const r = checkText(yaml, 'm.yaml', family as RuleFamily);
  return r.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.line}:${f.message}`);
}

const deploy = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${extra}      containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }] }]
`;

const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

describe('netpol rules', () => {
  it('no-ingress-policy / no-egress-policy: unselected workloads, at the workload', () => {
    assert.deepEqual(run('netpol/no-ingress-policy', deploy('web')), [
      '1:shop/web[Deployment] accepts connections from every pod and address: no NetworkPolicy selects it for ingress',
    ]);
    assert.equal(run('netpol/no-egress-policy', deploy('web')).length, 1);
    assert.deepEqual(run('netpol/no-ingress-policy', `${deploy('web')}---\n${denyAll}`), []);
    assert.deepEqual(run('netpol/no-egress-policy', `${deploy('web')}---\n${denyAll}`), []);
  });

  it('namespace-no-default-deny names the missing directions', () => {
    const ingressOnly = denyAll.replace('[Ingress, Egress]', '[Ingress]');
    assert.deepEqual(run('netpol/namespace-no-default-deny', `${deploy('web')}---\n${ingressOnly}`), [
      '1:namespace shop has no default-deny NetworkPolicy for egress: a new workload there is open',
    ]);
    assert.deepEqual(run('netpol/namespace-no-default-deny', `${deploy('web')}---\n${denyAll}`), []);
  });

  it('policy-selects-nothing points at the policy', () => {
    const p = denyAll.replace('podSelector: {}', 'podSelector: { matchLabels: { app: gone } }');
    assert.deepEqual(run('netpol/policy-selects-nothing', `${deploy('web')}---\n${p}`), [
      '13:NetworkPolicy shop/deny selects no workload in namespace shop (podSelector app=gone)',
    ]);
    assert.deepEqual(run('netpol/policy-selects-nothing', `${deploy('web')}---\n${denyAll}`), []);
  });

  it('allows-everything: empty rules, namespaceSelector {} and 0.0.0.0/0 without ports', () => {
    const p = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open, namespace: shop }
spec:
  podSelector: {}
  ingress:
    - {}
    - from: [{ namespaceSelector: {} }]
      ports: [{ port: 80 }]
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
`;
    assert.deepEqual(run('netpol/allows-everything', p), [
      '7:NetworkPolicy shop/open: ingress rule 0 allows every peer on all ports',
      '11:NetworkPolicy shop/open: egress rule 0 allows ipBlock 0.0.0.0/0 on all ports',
    ]);
    assert.deepEqual(run('netpol/allows-everything', denyAll), []);
  });

  it('externally-reachable: LoadBalancer after policies, hostNetwork always', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: http }] }
`;
    const out = run('netpol/externally-reachable', deploy('web') + svc);
    assert.deepEqual(out, [
      '10:shop/web[Deployment] is reachable from outside the cluster: internet → LoadBalancer Service shop/web :80 → shop/web[Deployment] : TCP 8080',
    ]);
    assert.deepEqual(run('netpol/externally-reachable', `${deploy('web')}${svc}---\n${denyAll}`), []);
    const host = run('netpol/externally-reachable', deploy('agent', '      hostNetwork: true\n'));
    assert.equal(host.length, 1);
    assert.match(host[0]!, /hostNetwork: NetworkPolicies do not apply/);
  });
});
