import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Grafana service account token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('grafana-service-account-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('grafana-service-account-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
