import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Azure shared access signature (SAS): the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('azure-sas-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('azure-sas-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
