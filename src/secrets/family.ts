import type { RuleMeta, RuleReport } from '../checks/types.js';
import { SECRET_RULES } from './rules/index.js';
import { scanSecrets } from './scan.js';
import type { SecretMatch, SecretSpec } from './types.js';

/**
 * Glue between the secret scanner and the rule engine, so secret rules are listed by
 * `bulwark rules`, carry ids and aliases like every other rule, and can run through `checkParsed`.
 * The file is scanned once (`parseSecrets`); each rule's `check` picks its own matches.
 */
export interface SecretInput {
  matches: readonly SecretMatch[];
}

const DEFAULT_REMEDIATION =
  'Revoke or rotate the credential at its issuer now (it must be treated as compromised), remove it from the file, the history and any image layer, and load it at run time from a secret store or the environment.';

export function secretSpec(id: string): SecretSpec {
  const spec = SECRET_RULES.find((s) => s.id === id);
  if (!spec) throw new Error(`no secret rule ${id}`);
  return spec;
}

export function secretMeta<M extends string>(id: string, messages: Record<M, string>): RuleMeta<M> {
  const s = secretSpec(id);
  return {
    id: `secrets/${s.id}`,
    aliases: [...s.aliases],
    title: s.title,
    severity: s.severity,
    category: `secrets/${s.category}`,
    references: s.references,
    remediation: s.remediation ?? DEFAULT_REMEDIATION,
    appliesTo: ['secrets'],
    messages,
  };
}

/** This rule's matches as report positions with the redacted match as message data. */
export function secretReports(id: string, input: SecretInput): Omit<RuleReport, 'messageId'>[] {
  const ruleId = `secrets/${id}`;
  return input.matches
    .filter((m) => m.ruleId === ruleId)
    .map((m) => ({
      line: m.line,
      column: m.column,
      endLine: m.endLine,
      endColumn: m.endColumn,
      data: { title: m.title, match: m.match },
    }));
}

/** The family's parse: one scan of the whole text (inline suppressions are left to the engine). */
export function parseSecrets(text: string): { inputs: { input: SecretInput }[] } {
  const r = scanSecrets(text);
  return { inputs: [{ input: { matches: [...r.findings, ...r.suppressed] } }] };
}
