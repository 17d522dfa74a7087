import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Docker Hub personal access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('docker-hub-pat', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('docker-hub-pat', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
