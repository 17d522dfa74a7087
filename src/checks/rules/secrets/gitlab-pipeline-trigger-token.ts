import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitLab pipeline trigger token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gitlab-pipeline-trigger-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gitlab-pipeline-trigger-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
