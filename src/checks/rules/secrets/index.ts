import {
  parseSecrets,
  SECRET_RULES,
  secretMeta,
  secretReports,
  type SecretInput,
} from '../../../secrets/index.js';
import { defineRule } from '../../define-rule.js';
import type { RuleFamily } from '../../types.js';

/**
 * One engine rule per secret rule, generated from the data in `src/secrets/rules/` (the single
 * definition of each: keywords, pattern, gates, aliases), so `bulwark rules`, ignore files and
 * SARIF know every secret rule as `secrets/<id>` without a wrapper file per rule.
 */
function secretRule(id: string) {
  return defineRule({
    meta: secretMeta(id, { found: '{{title}} found: {{match}}' }),
    check: (input: SecretInput) =>
      secretReports(id, input).map((r) => ({ messageId: 'found' as const, ...r })),
  });
}

/** secrets rules, sorted by id (SECRET_RULES is). */
export const rules = SECRET_RULES.map((s) => secretRule(s.id));

/**
 * Secret rules are listed and run through the engine, but `bulwark config` never claims a file
 * for them: `bulwark secrets` (and the `secrets` analyzer) decide which files are scanned.
 */
export const family: RuleFamily<SecretInput> = {
  name: 'secrets',
  target: 'secrets',
  generatedFrom: { module: 'src/secrets/rules/index.ts', export: 'SECRET_RULES' },
  matchName: () => 'no',
  matchContent: () => false,
  parse: (text) => parseSecrets(text),
  rules,
};
