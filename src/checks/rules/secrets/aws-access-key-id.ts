import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// AWS access key ID: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('aws-access-key-id', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('aws-access-key-id', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
