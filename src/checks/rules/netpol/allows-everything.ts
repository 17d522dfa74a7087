import type { NetpolInput } from '../../../netpol/analysis.js';
import type { PolicyPeer } from '../../../netpol/model.js';
import { isEverything } from '../../../netpol/selector.js';
import { defineRule } from '../../define-rule.js';

/** A peer that matches every pod of every namespace, or every address. */
function everyone(p: PolicyPeer): string | undefined {
  if (p.ipBlock) {
    const c = p.ipBlock.cidr.trim();
    return (c === '0.0.0.0/0' || c === '::/0') && p.ipBlock.except.length === 0 ? `ipBlock ${c}` : undefined;
  }
  if (
    p.namespaceSelector &&
    isEverything(p.namespaceSelector) &&
    (!p.podSelector || isEverything(p.podSelector))
  )
    return 'namespaceSelector: {}';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'netpol/allows-everything',
    aliases: [],
    title: 'NetworkPolicy rule allows every peer on every port',
    severity: 'MEDIUM',
    category: 'network-policy',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic',
    ],
    remediation:
      'Name the peers (podSelector, namespaceSelector, ipBlock) and the ports the workload needs; an empty rule or one that matches everyone on all ports undoes the isolation the policy creates.',
    appliesTo: ['netpol'],
    messages: {
      all: 'NetworkPolicy {{policy}}: {{direction}} rule {{rule}} allows {{who}} on all ports',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'policy') return [];
    const p = s.policy;
    const out = [];
    for (const [direction, rules, on] of [
      ['ingress', p.ingress, p.affectsIngress],
      ['egress', p.egress, p.affectsEgress],
    ] as const) {
      if (!on) continue;
      for (const [i, r] of rules.entries()) {
        if (r.ports.length > 0) continue;
        const who = r.peers.length === 0 ? 'every peer' : r.peers.map(everyone).find((x) => x !== undefined);
        if (!who) continue;
        out.push({
          line: input.source.lineOf?.(['spec', direction, i]) ?? input.source.line,
          column: 1,
          messageId: 'all' as const,
          field: `spec.${direction}[${i}]`,
          data: { policy: `${p.namespace}/${p.name}`, direction, rule: i, who },
          object: `NetworkPolicy/${p.name}`,
        });
      }
    }
    return out;
  },
});
