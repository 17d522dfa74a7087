import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitHub personal access token (classic): the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('github-pat', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('github-pat', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
