import type { CheckFinding } from '../checks/index.js';
import type { LayerInfo } from '../core/types.js';
import { redactCreatedBy } from './redact.js';
import type { SarifResultInput, SarifRuleInput } from './sarif.js';
import type { ScanReport, SecretFinding } from './types.js';

/** JSON shape of the non-vulnerability sections (docs/json-report.md). */
function jsonLayer(l: LayerInfo | undefined) {
  return l
    ? {
        index: l.index,
        digest: l.digest,
        diffId: l.diffId,
        createdBy: l.createdBy ? redactCreatedBy(l.createdBy) : null,
      }
    : null;
}

export function jsonMisconfiguration(f: CheckFinding) {
  return {
    ruleId: f.ruleId,
    aliases: f.aliases,
    severity: f.severity,
    title: f.title,
    message: f.message,
    remediation: f.remediation,
    references: f.references,
    file: f.file,
    field: f.field ?? null,
    object: f.object ?? null,
    layer: jsonLayer(f.layer),
  };
}

export function jsonSecret(s: SecretFinding) {
  return {
    ruleId: s.ruleId,
    title: s.title,
    severity: s.severity,
    file: s.file,
    line: s.line,
    column: s.column,
    match: s.match,
    layer: jsonLayer(s.layer),
  };
}

/** The optional top-level JSON keys; absent when the scanner did not run, so old reports stay the same. */
export function jsonNonVuln(r: ScanReport) {
  return {
    ...(r.scanners ? { scanners: r.scanners } : {}),
    ...(r.misconfigurations
      ? {
          misconfigurations: r.misconfigurations.map(jsonMisconfiguration),
          suppressedMisconfigurations: (r.suppressedMisconfigurations ?? []).map((s) => ({
            ...jsonMisconfiguration(s),
            suppression: { kind: s.suppressedBy, reason: s.reason },
          })),
        }
      : {}),
    ...(r.secrets
      ? {
          secrets: r.secrets.map(jsonSecret),
          suppressedSecrets: (r.suppressedSecrets ?? []).map((s) => ({
            ...jsonSecret(s),
            suppression: { kind: 'ignore-file', reason: s.reason },
          })),
        }
      : {}),
  };
}

/** Findings about a file inside the image point SARIF at that file; the rest at the image. */
const FILE_RULES = new Set([
  'image-config/credential-file',
  'image-config/package-cache',
  'image-config/setuid-known',
  'image-config/setuid-unexpected',
]);

/** SARIF rules and results for misconfigurations and secrets, to add to the vulnerability run. */
export function sarifNonVuln(r: ScanReport): { rules: SarifRuleInput[]; results: SarifResultInput[] } {
  const rules = new Map<string, SarifRuleInput>();
  const results: SarifResultInput[] = [];
  const misconfigs = [
    ...(r.misconfigurations ?? []).map((f) => ({ f, reason: undefined as string | undefined })),
    ...(r.suppressedMisconfigurations ?? []).map((f) => ({ f, reason: f.reason })),
  ];
  for (const { f, reason } of misconfigs) {
    if (!rules.has(f.ruleId))
      rules.set(f.ruleId, {
        id: f.ruleId,
        name: f.ruleId,
        shortDescription: f.title,
        ...(f.references[0] ? { helpUri: f.references[0] } : {}),
        severity: f.severity,
        help: [f.remediation, '', ...(f.aliases.length ? [`Aliases: ${f.aliases.join(', ')}`] : [])]
          .join('\n')
          .trim(),
        tags: ['misconfiguration', f.severity.toLowerCase()],
      });
    const inImage = FILE_RULES.has(f.ruleId) && f.object;
    results.push({
      ruleId: f.ruleId,
      message: f.layer ? `${f.message} (layer ${f.layer.index}, ${f.layer.diffId})` : f.message,
      file: inImage ? f.object! : r.target.name,
      fingerprint: `${f.ruleId}:${f.field ?? ''}:${f.object ?? ''}`,
      ...(reason ? { suppression: { justification: reason } } : {}),
      properties: {
        ...(f.field ? { field: f.field } : {}),
        ...(f.object ? { object: f.object } : {}),
        ...(f.aliases.length ? { aliases: f.aliases } : {}),
        ...(f.layer ? { layerDiffId: f.layer.diffId, layerDigest: f.layer.digest } : {}),
      },
    });
  }
  const secrets = [
    ...(r.secrets ?? []).map((s) => ({ s, reason: undefined as string | undefined })),
    ...(r.suppressedSecrets ?? []).map((s) => ({ s, reason: s.reason })),
  ];
  for (const { s, reason } of secrets) {
    const id = s.ruleId.startsWith('secrets/') ? s.ruleId : `secrets/${s.ruleId}`;
    if (!rules.has(id))
      rules.set(id, {
        id,
        name: id,
        shortDescription: s.title,
        severity: s.severity,
        help: `${s.title}: remove the secret from the image and rotate it.`,
        tags: ['secret', s.severity.toLowerCase()],
      });
    results.push({
      ruleId: id,
      message: `${s.title} in ${s.file}: ${s.match}${s.layer ? ` (layer ${s.layer.index}, ${s.layer.diffId})` : ''}`,
      file: s.file,
      ...(s.line > 0 ? { line: s.line, ...(s.column > 0 ? { column: s.column } : {}) } : {}),
      fingerprint: `${id}:${s.file}:${s.line}:${s.column}`,
      ...(reason ? { suppression: { justification: reason } } : {}),
      ...(s.layer ? { properties: { layerDiffId: s.layer.diffId, layerDigest: s.layer.digest } } : {}),
    });
  }
  return { rules: [...rules.values()], results };
}
