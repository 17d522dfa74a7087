import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// EasyPost production API key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('easypost-api-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('easypost-api-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
