import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Registry auth token in .npmrc: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('npmrc-auth-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('npmrc-auth-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
