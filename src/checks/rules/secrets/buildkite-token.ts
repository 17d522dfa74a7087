import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Buildkite API access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('buildkite-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('buildkite-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
