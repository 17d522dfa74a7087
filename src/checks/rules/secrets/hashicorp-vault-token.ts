import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// HashiCorp Vault service or batch token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('hashicorp-vault-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('hashicorp-vault-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
