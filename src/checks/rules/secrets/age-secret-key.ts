import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// age encryption secret key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('age-secret-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('age-secret-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
