import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Azure storage account key in a connection string: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('azure-storage-connection-string', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('azure-storage-connection-string', input).map((r) => ({
      messageId: 'found' as const,
      ...r,
    })),
});
