import {
  DEFAULT_DENIAL_BURST,
  decision,
  eventTime,
  listSetting,
  subjectAllowed,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

/**
 * A windowed rule: `check` reports each denied request as an observation keyed by user; the stream
 * checker reports the one that makes `threshold` denials of one user within `windowSeconds`.
 */
export default defineRule({
  meta: {
    id: 'audit/rbac-denial-burst',
    aliases: [],
    title: 'Burst of authorization denials for one user',
    severity: 'MEDIUM',
    category: 'rbac',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authorization/#review-your-request-attributes',
      'https://attack.mitre.org/techniques/T1613/',
    ],
    remediation:
      "Many denials in a short time are what a stolen token probing its permissions looks like (kubectl auth can-i --list, discovery of every resource). Find the token's owner and where it was used from (sourceIPs); revoke it if the activity is not explained.",
    appliesTo: ['audit'],
    messages: {
      burst:
        '{{user}} was denied {{count}} requests within {{windowSeconds}} s (threshold {{threshold}}; latest: {{verb}} {{uri}})',
    },
  },
  window: {
    keyField: 'user',
    time: (input: AuditInput) => eventTime(input.event),
    threshold: DEFAULT_DENIAL_BURST.count,
    windowSeconds: DEFAULT_DENIAL_BURST.seconds,
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    // one observation a request: the authorizer's verdict is on every stage, count the final one
    if (e.stage !== 'ResponseComplete' && e.stage !== 'Panic') return [];
    const denied = decision(e) === 'forbid' || (decision(e) === undefined && e.responseStatus?.code === 403);
    if (!denied) return [];
    const user = username(e);
    if (subjectAllowed(e, listSetting(ctx.settings, 'allowedUsers', []))) return [];
    return [
      {
        line: input.line,
        column: 1,
        object: `user ${user}`,
        messageId: 'burst',
        field: 'annotations.authorization.k8s.io/decision',
        data: { user, verb: e.verb, uri: e.requestURI.slice(0, 200) },
      },
    ];
  },
});
