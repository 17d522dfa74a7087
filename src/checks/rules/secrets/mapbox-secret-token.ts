import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Mapbox secret access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('mapbox-secret-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('mapbox-secret-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
