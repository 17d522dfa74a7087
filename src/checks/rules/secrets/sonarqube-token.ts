import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// SonarQube / SonarCloud token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('sonarqube-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('sonarqube-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
