import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Alibaba Cloud AccessKey secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('alibaba-secret-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('alibaba-secret-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
