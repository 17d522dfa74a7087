import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Cloudflare Origin CA key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('cloudflare-origin-ca-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('cloudflare-origin-ca-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
