import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// GitHub server-to-server (installation) token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('github-app-installation-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('github-app-installation-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
