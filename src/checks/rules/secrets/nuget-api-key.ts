import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// NuGet API key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('nuget-api-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('nuget-api-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
