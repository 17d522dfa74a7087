import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Azure AD (Entra ID) client secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('azure-ad-client-secret', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('azure-ad-client-secret', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
