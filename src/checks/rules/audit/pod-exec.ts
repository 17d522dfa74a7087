import {
  at,
  isResource,
  listSetting,
  subjectAllowed,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const SUBRESOURCES = new Set(['exec', 'attach']);

export default defineRule({
  meta: {
    id: 'audit/pod-exec',
    aliases: ['Attach/Exec Pod'],
    title: 'Shell opened into a running pod (exec or attach)',
    severity: 'MEDIUM',
    category: 'runtime',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/',
    ],
    remediation:
      'Confirm who opened the session and why; grant pods/exec and pods/attach only to break-glass roles, and list the users and service accounts that may use them in audit.allowedExecUsers of the configuration file.',
    appliesTo: ['audit'],
    messages: {
      exec: '{{user}} ran {{action}} in pod {{pod}}{{command}}',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const sub = e.objectRef?.subresource;
    // the API server logs ResponseStarted once when the stream is upgraded: one event a session
    if (e.stage !== 'ResponseStarted' || !sub || !SUBRESOURCES.has(sub) || !isResource(e, 'pods', sub))
      return [];
    if (e.verb !== 'create' && e.verb !== 'get') return [];
    if (subjectAllowed(e, listSetting(ctx.settings, 'allowedUsers', []))) return [];
    const command = new URLSearchParams(e.requestURI.split('?')[1] ?? '').getAll('command').join(' ');
    return [
      {
        ...at(input),
        messageId: 'exec',
        field: 'objectRef.subresource',
        data: {
          user: username(e),
          action: sub,
          pod: `${e.objectRef?.namespace ?? ''}/${e.objectRef?.name ?? ''}`,
          command: command ? ` (command: ${command.slice(0, 200)})` : '',
        },
      },
    ];
  },
});
