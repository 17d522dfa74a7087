import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// DigitalOcean personal access / OAuth token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('digitalocean-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('digitalocean-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
