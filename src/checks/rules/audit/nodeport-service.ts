import { admittedWrite, at, isRecord, username, type AuditInput } from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'audit/nodeport-service',
    aliases: ['Create NodePort Service'],
    title: 'NodePort Service created',
    severity: 'MEDIUM',
    category: 'network',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
    ],
    remediation:
      "A NodePort opens the port on every node's addresses, around ingress controllers and most firewalls. Use a ClusterIP Service behind an Ingress or Gateway, or a LoadBalancer with source ranges.",
    appliesTo: ['audit'],
    messages: {
      nodeport: '{{user}} created NodePort service {{service}} (ports {{ports}})',
    },
  },
  check(input: AuditInput) {
    const e = input.event;
    const spec = admittedWrite(e, 'services')?.spec;
    if (!isRecord(spec) || spec.type !== 'NodePort') return [];
    const ports = Array.isArray(spec.ports)
      ? spec.ports
          .filter(isRecord)
          .map((p) => `${String(p.port ?? '?')}${p.nodePort !== undefined ? `:${String(p.nodePort)}` : ''}`)
      : [];
    const a = at(input);
    return [
      {
        ...a,
        messageId: 'nodeport',
        field: 'requestObject.spec.type',
        data: {
          user: username(e),
          service: a.object.replace(/^services /, ''),
          ports: ports.slice(0, 20).join(', ') || 'none',
        },
      },
    ];
  },
});
