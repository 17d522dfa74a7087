import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Registry credentials in a Docker config.json: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('docker-config-auth', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('docker-config-auth', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
