import {
  admitted,
  DEFAULT_TOKEN_MINTERS,
  at,
  isCreate,
  isResource,
  listSetting,
  requestObject,
  subjectAllowed,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'audit/sa-token-created',
    aliases: [],
    title: 'Service-account token created by hand',
    severity: 'MEDIUM',
    category: 'credentials',
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
      'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#manual-secret-management-for-serviceaccounts',
    ],
    remediation:
      'A token made by a person outlives its purpose and travels: check who asked for it, delete long-lived token Secrets, and prefer short-lived tokens from the TokenRequest API issued to workloads only.',
    appliesTo: ['audit'],
    messages: {
      secret: '{{user}} created long-lived token Secret {{name}} for service account {{account}}',
      request: '{{user}} requested a token for service account {{account}}',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const ref = e.objectRef?.resource;
    // cheap gate first: the allow-list's patterns only for creates of tokens or secrets
    if ((ref !== 'serviceaccounts' && ref !== 'secrets') || !isCreate(e) || !admitted(e)) return [];
    const user = username(e);
    if (subjectAllowed(e, listSetting(ctx.settings, 'allowedUsers', DEFAULT_TOKEN_MINTERS))) return [];
    const ns = e.objectRef?.namespace ?? '';
    if (isResource(e, 'serviceaccounts', 'token'))
      return [
        {
          ...at(input),
          messageId: 'request',
          field: 'objectRef.subresource',
          data: { user, account: `${ns}/${e.objectRef?.name ?? ''}` },
        },
      ];
    if (!isResource(e, 'secrets')) return [];
    const body = requestObject(e);
    if (body?.type !== 'kubernetes.io/service-account-token') return [];
    const meta = body.metadata as { name?: unknown; annotations?: Record<string, unknown> } | undefined;
    const account = meta?.annotations?.['kubernetes.io/service-account.name'];
    return [
      {
        ...at(input),
        messageId: 'secret',
        field: 'requestObject.type',
        data: {
          user,
          name: `${ns}/${typeof meta?.name === 'string' ? meta.name : (e.objectRef?.name ?? '')}`,
          account: `${ns}/${typeof account === 'string' ? account : '?'}`,
        },
      },
    ];
  },
});
