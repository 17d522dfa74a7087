import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitLab runner registration token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gitlab-runner-registration-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gitlab-runner-registration-token', input).map((r) => ({
      messageId: 'found' as const,
      ...r,
    })),
});
