import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Google OAuth client secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gcp-oauth-client-secret', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gcp-oauth-client-secret', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
