import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Notion integration token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('notion-integration-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('notion-integration-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
