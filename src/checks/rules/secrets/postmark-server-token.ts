import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Postmark server token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('postmark-server-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('postmark-server-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
