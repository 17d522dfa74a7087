import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// New Relic insights insert key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('new-relic-insert-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('new-relic-insert-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
