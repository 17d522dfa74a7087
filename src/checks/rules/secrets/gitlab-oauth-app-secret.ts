import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitLab OAuth application secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gitlab-oauth-app-secret', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gitlab-oauth-app-secret', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
