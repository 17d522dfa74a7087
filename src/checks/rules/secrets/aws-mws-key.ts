import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Amazon MWS auth token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('aws-mws-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('aws-mws-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
