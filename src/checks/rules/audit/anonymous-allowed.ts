import { allowed, at, complete, decision, username, type AuditInput } from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

/** Health endpoints the API server serves to anyone by design (system:public-info-viewer). */
const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz'];

function isPublic(uri: string): boolean {
  const path = uri.split('?')[0]!;
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

export default defineRule({
  meta: {
    id: 'audit/anonymous-allowed',
    aliases: ['Anonymous Request Allowed', 'CIS-Kubernetes-1.2.1'],
    title: 'Request by the anonymous user allowed',
    severity: 'HIGH',
    category: 'authentication',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    ],
    remediation:
      'Start the API server with --anonymous-auth=false (or restrict anonymous access to health endpoints with an AuthenticationConfiguration), and remove bindings that grant system:anonymous or system:unauthenticated anything.',
    appliesTo: ['audit'],
    messages: {
      anonymous: 'anonymous request {{verb}} {{uri}} was allowed{{reason}}',
    },
  },
  check(input: AuditInput) {
    const e = input.event;
    if (username(e) !== 'system:anonymous' || !complete(e) || isPublic(e.requestURI)) return [];
    // allowed by the authorizer, or let through without a verdict and answered with success
    if (decision(e) !== 'allow' && !(decision(e) === undefined && allowed(e) && e.responseStatus)) return [];
    if (!allowed(e)) return [];
    const reason = e.annotations?.['authorization.k8s.io/reason'];
    return [
      {
        ...at(input),
        messageId: 'anonymous',
        field: 'user.username',
        data: {
          verb: e.verb,
          uri: e.requestURI.slice(0, 300),
          reason: reason ? ` (${reason.slice(0, 200)})` : '',
        },
      },
    ];
  },
});
