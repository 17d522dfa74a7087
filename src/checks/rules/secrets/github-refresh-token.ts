import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitHub refresh token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('github-refresh-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('github-refresh-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
