import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Airtable personal access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('airtable-pat', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('airtable-pat', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
