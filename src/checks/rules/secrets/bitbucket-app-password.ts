import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Bitbucket app password / API token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('bitbucket-app-password', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('bitbucket-app-password', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
