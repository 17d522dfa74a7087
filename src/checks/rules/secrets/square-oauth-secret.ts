import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Square OAuth application secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('square-oauth-secret', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('square-oauth-secret', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
