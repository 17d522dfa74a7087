import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// JSON Web Token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('jwt', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('jwt', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
