import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Password in an HTTP/FTP URL: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('url-credentials', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('url-credentials', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
