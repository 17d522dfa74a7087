import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitLab personal / project / group access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gitlab-pat', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gitlab-pat', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
