import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Alibaba Cloud AccessKey ID: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('alibaba-access-key-id', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('alibaba-access-key-id', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
