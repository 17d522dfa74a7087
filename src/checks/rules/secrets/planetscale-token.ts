import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// PlanetScale service token or password: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('planetscale-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('planetscale-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
