import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Hugging Face access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('huggingface-access-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('huggingface-access-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
