import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// MySQL / MariaDB URL with a password: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('database-url-mysql', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('database-url-mysql', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
