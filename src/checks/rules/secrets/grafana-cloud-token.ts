import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Grafana Cloud API token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('grafana-cloud-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('grafana-cloud-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
