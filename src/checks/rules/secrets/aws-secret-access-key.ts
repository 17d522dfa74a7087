import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// AWS secret access key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('aws-secret-access-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('aws-secret-access-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
