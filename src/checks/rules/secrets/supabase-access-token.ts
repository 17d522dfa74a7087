import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Supabase personal access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('supabase-access-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('supabase-access-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
