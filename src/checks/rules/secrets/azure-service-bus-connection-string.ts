import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Azure Service Bus / Event Hubs shared access key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('azure-service-bus-connection-string', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('azure-service-bus-connection-string', input).map((r) => ({
      messageId: 'found' as const,
      ...r,
    })),
});
