import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Datadog API or application key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('datadog-api-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('datadog-api-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
