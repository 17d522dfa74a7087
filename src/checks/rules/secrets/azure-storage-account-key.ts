import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Azure storage account key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('azure-storage-account-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('azure-storage-account-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
