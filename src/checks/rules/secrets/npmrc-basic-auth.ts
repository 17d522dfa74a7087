import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Registry basic auth (_auth / _password) in .npmrc: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('npmrc-basic-auth', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('npmrc-basic-auth', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
