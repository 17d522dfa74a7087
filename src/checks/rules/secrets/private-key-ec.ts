import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// EC private key (PEM): the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('private-key-ec', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('private-key-ec', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
