import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// PGP private key block: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('private-key-pgp', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('private-key-pgp', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
