import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Hugging Face organization API token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('huggingface-org-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('huggingface-org-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
