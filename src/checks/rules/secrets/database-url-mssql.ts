import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// SQL Server URL with a password: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('database-url-mssql', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('database-url-mssql', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
