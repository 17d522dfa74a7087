import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GCP service-account key (JSON): the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('gcp-service-account-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('gcp-service-account-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
