import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// PyPI upload token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('pypi-upload-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('pypi-upload-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
