import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitHub fine-grained personal access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('github-fine-grained-pat', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('github-fine-grained-pat', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
